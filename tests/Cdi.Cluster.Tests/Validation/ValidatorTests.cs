using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Validation;

namespace Cdi.Cluster.Tests.Validation;

/// <summary>The validators as pure functions, with kube-apiserver's exact wording.</summary>
public sealed class ValidatorTests
{
    private const string Subdomain =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string Label =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private static ResourceDefinition Kind(string group, string plural) =>
        BuiltInResources.All.Single(d => d.Group == group && d.Plural == plural);

    private static IReadOnlyList<FieldError> Validate(string plural, string json, AdmissionOperation op = AdmissionOperation.Create, string group = "") =>
        new ObjectValidator().Validate(new AdmissionRequest(Kind(group, plural), op, null, JsonNode.Parse(json)!.AsObject(), null));

    private static IEnumerable<string> Lines(IEnumerable<FieldError> errors) => errors.Select(e => e.ToString());

    [Fact]
    public void Dns_names_follow_rfc_1123_and_1035()
    {
        DnsNames.Subdomain("my.name-1").Should().BeEmpty();
        DnsNames.Subdomain("../x").Should().Equal(Subdomain);
        DnsNames.Subdomain(new string('a', 254)).Should().Equal("must be no more than 253 characters");
        DnsNames.Label("a.b").Should().ContainSingle().Which.Should().StartWith("a lowercase RFC 1123 label must consist");
        DnsNames.Label(new string('a', 64)).Should().Equal("must be no more than 63 characters");
        DnsNames.Label("abc\n").Should().NotBeEmpty("a trailing newline is not an alphanumeric end");
        DnsNames.Dns1035Label("1abc").Should().ContainSingle().Which.Should().StartWith("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character");
        DnsNames.Dns1035Label("abc-1").Should().BeEmpty();
    }

    [Fact]
    public void The_regex_message_lists_examples_as_apimachinery_does()
    {
        // apimachinery's RegexError puts "', " after every example, then " or " between them.
        DnsNames.Label("A").Single().Should().Be(Label);
    }

    [Fact]
    public void Qualified_names_have_an_optional_subdomain_prefix()
    {
        QualifiedNames.Name("app.kubernetes.io/name").Should().BeEmpty();
        QualifiedNames.Name("MyName").Should().BeEmpty();
        QualifiedNames.Name("/x").Should().Equal("prefix part must be non-empty");
        QualifiedNames.Name("a/b/c").Single().Should().StartWith("a qualified name must consist of alphanumeric characters");
        QualifiedNames.Name("Bad_Prefix/x").Single().Should().StartWith("prefix part a lowercase RFC 1123 subdomain");
        QualifiedNames.Name(new string('a', 64)).Should().Equal("name part must be no more than 63 characters");
        QualifiedNames.Name("-x").Single().Should().Be(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
                );
        QualifiedNames.LabelValue("").Should().BeEmpty();
        QualifiedNames.LabelValue(new string('v', 64)).Should().Contain("must be no more than 63 characters");
        QualifiedNames.LabelValue("a b").Single().Should().StartWith("a valid label must be an empty string or consist of alphanumeric characters");
    }

    [Fact]
    public void Path_segment_names_refuse_dots_slashes_and_percent()
    {
        PathSegmentNames.Check("..", prefix: false).Should().Equal("may not be '..'");
        PathSegmentNames.Check("a/b%c", prefix: false).Should().Equal("may not contain '/'", "may not contain '%'");
        PathSegmentNames.Check("pod.17a3b2c", prefix: false).Should().BeEmpty();
    }

    [Fact]
    public void A_pod_named_with_a_path_is_invalid_with_kubernetes_wording()
    {
        Lines(Validate("pods", """{"metadata":{"name":"../x","namespace":"default"},"spec":{"containers":[{"name":"c","image":"i"}]}}"""))
            .Should().Equal("metadata.name: Invalid value: \"../x\": " + Subdomain);
    }

    [Theory]
    [InlineData("namespaces", "", "a.b", "a lowercase RFC 1123 label")]
    [InlineData("services", "", "1abc", "a DNS-1035 label")]
    [InlineData("configmaps", "", "../x", "a lowercase RFC 1123 subdomain")]
    [InlineData("persistentvolumeclaims", "", "UPPER", "a lowercase RFC 1123 subdomain")]
    [InlineData("storageclasses", "storage.k8s.io", "a_b", "a lowercase RFC 1123 subdomain")]
    [InlineData("events", "", "../x", "may not contain '/'")]
    public void Each_kind_has_its_name_rule(string plural, string group, string name, string message)
    {
        var d = Kind(group, plural);
        var meta = d.Namespaced ? $$"""{"name":"{{name}}","namespace":"default"}""" : $$"""{"name":"{{name}}"}""";
        var errors = new ObjectValidator().Validate(new AdmissionRequest(d, AdmissionOperation.Create, null, JsonNode.Parse($$"""{"metadata":{{meta}}}""")!.AsObject(), null));
        errors.Should().ContainSingle(e => e.Field == "metadata.name").Which.Detail.Should().Contain(message);
    }

    [Fact]
    public void Event_names_with_dots_and_custom_resource_names_are_valid()
    {
        Validate("events", """{"metadata":{"name":"importer-x.17f0a1b2c3d4e5f6","namespace":"default"}}""").Should().BeEmpty();
        Validate("leases", """{"metadata":{"name":"cdi-controller-leader","namespace":"kube-system"}}""", group: "coordination.k8s.io").Should().BeEmpty();
    }

    [Fact]
    public void A_generate_name_is_checked_as_a_prefix_and_reported_once()
    {
        Validate("pods", """{"metadata":{"generateName":"importer-","name":"importer-x7k2q","namespace":"d"},"spec":{"containers":[{"name":"c","image":"i"}]}}""").Should().BeEmpty();
        Lines(Validate("configmaps", """{"metadata":{"generateName":"../","name":"../abcde","namespace":"d"}}"""))
            .Should().Equal("metadata.generateName: Invalid value: \"../\": " + Subdomain);
        Lines(Validate("configmaps", """{"metadata":{"namespace":"d"}}"""))
            .Should().Equal("metadata.name: Required value: name or generateName is required");
    }

    [Fact]
    public void Names_are_not_rechecked_on_update_so_old_objects_can_still_lose_their_finalizers()
    {
        Validate("configmaps", """{"metadata":{"name":"../legacy","namespace":"d"}}""", AdmissionOperation.Update).Should().BeEmpty();
    }

    [Fact]
    public void Labels_annotations_and_finalizers_are_checked()
    {
        var errors = Validate("configmaps", $$$"""
            {"metadata":{"name":"x","namespace":"d",
              "labels":{"ok":"v","bad key":"v","k":"{{{new string('v', 64)}}}","n":5},
              "annotations":{"Example.com/Key":"fine"},
              "finalizers":["example.com/f","orphan","foregroundDeletion","bad/name/x"]}}
            """);
        Lines(errors).Should().Contain(l => l.StartsWith("metadata.labels: Invalid value: \"bad key\": name part must consist of", StringComparison.Ordinal));
        Lines(errors).Should().Contain($"metadata.labels: Invalid value: \"{new string('v', 64)}\": must be no more than 63 characters");
        Lines(errors).Should().Contain("metadata.labels[n]: Invalid value: 5: must be a string");
        Lines(errors).Should().Contain("metadata.finalizers: Invalid value: [\"example.com/f\",\"orphan\",\"foregroundDeletion\",\"bad/name/x\"]: finalizer orphan and foregroundDeletion cannot be both set");
        Lines(errors).Should().Contain(l => l.StartsWith("metadata.finalizers: Invalid value: \"bad/name/x\": a qualified name must consist", StringComparison.Ordinal));
        errors.Should().NotContain(e => e.Field == "metadata.annotations", "annotation keys are case-insensitive");
    }

    [Fact]
    public void Annotations_may_total_256_KiB()
    {
        var fits = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x", ["namespace"] = "d", ["annotations"] = new JsonObject { ["a"] = new string('v', (256 * 1024) - 1) } } };
        new ObjectValidator().Validate(new AdmissionRequest(Kind("", "configmaps"), AdmissionOperation.Create, null, fits, null)).Should().BeEmpty();
        fits["metadata"]!["annotations"]!["b"] = "v";
        Lines(new ObjectValidator().Validate(new AdmissionRequest(Kind("", "configmaps"), AdmissionOperation.Create, null, fits, null)))
            .Should().Equal("metadata.annotations: Too long: may not be more than 262144 bytes");
    }

    [Fact]
    public void Owner_references_name_their_owner_and_one_controller_at_most()
    {
        var errors = Lines(Validate("configmaps", """
            {"metadata":{"name":"x","namespace":"d","ownerReferences":[
              {"apiVersion":"v1","kind":"Pod","name":"a","uid":"1","controller":true},
              {"apiVersion":"apps/","kind":"","name":"","uid":"","controller":true}]}}
            """)).ToList();
        errors.Should().Contain("metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty");
        errors.Should().Contain("metadata.ownerReferences.kind: Invalid value: \"\": kind must not be empty");
        errors.Should().Contain("metadata.ownerReferences.name: Invalid value: \"\": name must not be empty");
        errors.Should().Contain("metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty");
        errors.Should().Contain(l => l.StartsWith("metadata.ownerReferences: Invalid value: [", StringComparison.Ordinal)
            && l.EndsWith("Only one reference can have Controller set to true. Found \"true\" in references for Pod/a and /", StringComparison.Ordinal));
    }

    [Fact]
    public void Pod_containers_volumes_and_mounts_are_checked()
    {
        var errors = Lines(Validate("pods", """
            {"metadata":{"name":"p","namespace":"d"},"spec":{
              "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"c"}},{"name":"data","emptyDir":{}},{"name":"Host","hostPath":{"path":"/"}},
                         {"name":"cm","configMap":{"name":"x","items":[{"key":"k","path":"../k"}]}}],
              "containers":[
                {"name":"main","image":"i","volumeMounts":[{"name":"data","mountPath":"data"},{"name":"nope","mountPath":"/a/../b"},{"name":"data","mountPath":"/m","subPath":"/abs/../x"}]},
                {"name":"main","image":"i"},
                {"name":"Bad_Name"}]}}
            """)).ToList();
        errors.Should().Contain("spec.volumes[1].name: Duplicate value: \"data\"");
        errors.Should().Contain("spec.volumes[2].name: Invalid value: \"Host\": " + Label);
        errors.Should().Contain("spec.volumes[2].hostPath: Forbidden: hostPath volumes are not allowed in pods on the local cluster; use a PersistentVolumeClaim");
        errors.Should().Contain("spec.volumes[3].configMap.items[0].path: Invalid value: \"../k\": must not contain '..'");
        errors.Should().Contain("spec.volumes[3].configMap.items[0].path: Invalid value: \"../k\": must not start with '..'");
        errors.Should().Contain("spec.containers[0].volumeMounts[0].mountPath: Invalid value: \"data\": must be an absolute path");
        errors.Should().Contain("spec.containers[0].volumeMounts[1].name: Not found: \"nope\"");
        errors.Should().Contain("spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/a/../b\": must not contain '..'");
        errors.Should().Contain("spec.containers[0].volumeMounts[2].subPath: Invalid value: \"/abs/../x\": must be a relative path");
        errors.Should().Contain("spec.containers[0].volumeMounts[2].subPath: Invalid value: \"/abs/../x\": must not contain '..'");
        errors.Should().Contain("spec.containers[1].name: Duplicate value: \"main\"");
        errors.Should().Contain(l => l.StartsWith("spec.containers[2].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label", StringComparison.Ordinal));
        errors.Should().Contain("spec.containers[2].image: Required value");
    }

    [Fact]
    public void A_pod_without_containers_or_with_the_wrong_shapes_is_invalid()
    {
        Lines(Validate("pods", """{"metadata":{"name":"p","namespace":"d"},"spec":{}}""")).Should().Equal("spec.containers: Required value");
        Lines(Validate("pods", """{"metadata":{"name":"p","namespace":"d"},"spec":{"containers":[{"name":"c","image":"i","resources":"lots","command":[1]}]}}"""))
            .Should().Equal("spec.containers[0].command[0]: Invalid value: 1: must be a string", "spec.containers[0].resources: Invalid value: \"lots\": must be an object");
    }

    [Fact]
    public void Persistent_volume_host_paths_are_absolute_without_backsteps()
    {
        Validate("persistentvolumes", """{"metadata":{"name":"pv"},"spec":{"hostPath":{"path":"/var/lib/x"}}}""").Should().BeEmpty();
        Lines(Validate("persistentvolumes", """{"metadata":{"name":"pv"},"spec":{"hostPath":{"path":"tmp/../etc"}}}"""))
            .Should().Equal("spec.hostPath.path: Invalid value: \"tmp/../etc\": must be an absolute path", "spec.hostPath.path: Invalid value: \"tmp/../etc\": must not contain '..'");
    }

    [Fact]
    public void Config_and_secret_keys_are_file_names_and_secret_values_base64()
    {
        var errors = Lines(Validate("configmaps", """{"metadata":{"name":"c","namespace":"d"},"data":{"ok.key":"v","../etc":"v","..":"v"}}""")).ToList();
        errors.Should().Contain(l => l.StartsWith("data[../etc]: Invalid value: \"../etc\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'", StringComparison.Ordinal));
        errors.Should().Contain("data[../etc]: Invalid value: \"../etc\": must not start with '..'");
        errors.Should().Contain("data[..]: Invalid value: \"..\": must not be '..'");
        Lines(Validate("secrets", """{"metadata":{"name":"s","namespace":"d"},"data":{"k":"not base64!"}}"""))
            .Should().Equal("data[k]: Invalid value: \"<secret contents redacted>\": must be base64-encoded");
    }

    [Fact]
    public void A_crd_is_named_plural_dot_group()
    {
        Lines(Validate("customresourcedefinitions", """{"metadata":{"name":"wrong.example.com"},"spec":{"group":"example.com","names":{"plural":"things","kind":"Thing"}}}""", group: "apiextensions.k8s.io"))
            .Should().Equal("metadata.name: Invalid value: \"wrong.example.com\": must be spec.names.plural+\".\"+spec.group");
    }

    [Fact]
    public void Values_are_quoted_as_go_quotes_them()
    {
        GoQuoted.Of("a\"b\\c\n\0é").Should().Be("\"a\\\"b\\\\c\\n\\x00é\"");
    }

    [Fact]
    public void Status_writes_are_not_revalidated()
    {
        new ObjectValidator().Validate(new AdmissionRequest(Kind("", "pods"), AdmissionOperation.Update, "status",
            JsonNode.Parse("""{"metadata":{"name":"p"},"spec":{}}""")!.AsObject(), null)).Should().BeEmpty();
    }

    [Fact]
    public void The_chain_answers_422_with_every_validator_s_causes()
    {
        var chain = new AdmissionChain([new ObjectValidator(), new AlwaysRefuses()]);
        var act = () => chain.Admit(new AdmissionRequest(Kind("", "configmaps"), AdmissionOperation.Create, null,
            JsonNode.Parse("""{"metadata":{"name":"../x","namespace":"d"}}""")!.AsObject(), null), AdmissionStage.ObjectValidation);
        var e = act.Should().Throw<ApiException>().Which;
        e.Code.Should().Be(422);
        e.Message.Should().Be("ConfigMap \"../x\" is invalid: [metadata.name: Invalid value: \"../x\": " + Subdomain + ", spec.x: Forbidden: no]");
        var causes = e.ToStatus()["details"]!["causes"]!.AsArray();
        causes.Select(c => c!["field"]!.GetValue<string>()).Should().Equal("metadata.name", "spec.x");
        causes[0]!["reason"]!.GetValue<string>().Should().Be("FieldValueInvalid");
    }

    [Fact]
    public void A_flood_of_errors_lists_the_first_hundred()
    {
        var labels = new JsonObject();
        for (var i = 0; i < 500; i++)
        {
            labels["bad key " + i] = "v";
        }
        var obj = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x", ["namespace"] = "d", ["labels"] = labels } };
        var act = () => AdmissionChain.Default().Admit(new AdmissionRequest(Kind("", "configmaps"), AdmissionOperation.Create, null, obj, null), AdmissionStage.ObjectValidation);
        var causes = act.Should().Throw<ApiException>().Which.ToStatus()["details"]!["causes"]!.AsArray();
        causes.Should().HaveCount(ApiErrors.MaxCauses + 1);
        causes[^1]!["message"]!.GetValue<string>().Should().Be("Too many: 500: only the first 100 errors are listed");
    }

    private sealed class AlwaysRefuses : IAdmissionValidator
    {
        public AdmissionStage Stage => AdmissionStage.ObjectValidation;

        public IReadOnlyList<FieldError> Validate(AdmissionRequest request) => [FieldErrors.Forbidden("spec.x", "no")];
    }
}
