using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cdi.Api.Upload;
using Cdi.Cluster.Admission;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Validation;

namespace Cdi.Cluster.Tests.Admission;

/// <summary>
/// Cross-namespace clone admission with an authorizer that answers as told: who is asked what, the one-line refusal,
/// and the clone token stamped only on what is admitted (and kept as admission made it on updates).
/// </summary>
public sealed class CloneAuthorizationTests : IDisposable
{
    private static readonly ResourceDefinition DataVolumes = new()
    {
        Group = "cdi.kubevirt.io", Versions = ["v1beta1"], Plural = "datavolumes", Singular = "datavolume", Kind = "DataVolume", Namespaced = true,
    };

    private static readonly UserInfo Alice = new("alice", ["system:authenticated"]);
    private static readonly DateTimeOffset Now = new Cdi.Testing.Time.ManualTimeProvider().GetUtcNow();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _key.Dispose();

    private sealed class FakeAuthorizer(Func<ResourceAttributes, bool> allow) : IAuthorizer
    {
        public List<(UserInfo User, ResourceAttributes Attributes)> Asked { get; } = [];

        public AuthorizationDecision Authorize(UserInfo user, ResourceAttributes attributes)
        {
            Asked.Add((user, attributes));
            return allow(attributes) ? AuthorizationDecision.Allow("allowed") : AuthorizationDecision.Deny("no RBAC rule allows it");
        }
    }

    private static JsonObject Clone(string sourceNs, string? token = null)
    {
        var dv = new JsonObject
        {
            ["apiVersion"] = "cdi.kubevirt.io/v1beta1",
            ["kind"] = "DataVolume",
            ["metadata"] = new JsonObject { ["name"] = "copy", ["namespace"] = "team" },
            ["spec"] = new JsonObject
            {
                ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["namespace"] = sourceNs, ["name"] = "golden" } },
                ["storage"] = new JsonObject(),
            },
        };
        if (token is not null)
        {
            dv["metadata"]!["annotations"] = new JsonObject { [CloneTokens.Annotation] = token };
        }
        return dv;
    }

    private (DataVolumeAdmission Admission, AdmissionRequest Request) Admit(FakeAuthorizer authorizer, JsonObject dv, AdmissionOperation op = AdmissionOperation.Create,
        JsonObject? old = null) =>
        (new DataVolumeAdmission(authorizer, _key, new Cdi.Testing.Time.ManualTimeProvider()), new AdmissionRequest(DataVolumes, op, null, dv, old) { User = Alice });

    [Fact]
    public void A_denied_cross_namespace_clone_is_refused_in_one_line_naming_the_permission()
    {
        var authorizer = new FakeAuthorizer(_ => false);
        var (admission, request) = Admit(authorizer, Clone("golden-images"));

        var errors = admission.Validate(request);

        errors.Should().ContainSingle();
        errors[0].Field.Should().Be("spec.source.pvc");
        errors[0].ToString().Should().Contain("user \"alice\" may not clone claim golden-images/golden")
            .And.Contain("create on datavolumes/source (group cdi.kubevirt.io)").And.NotContain("\n");
        authorizer.Asked[0].Attributes.Should().Be(new ResourceAttributes("create", "cdi.kubevirt.io", "datavolumes", "source", "golden-images", "golden"));
        authorizer.Asked.Should().OnlyContain(a => a.User == Alice && a.Attributes.Namespace == "golden-images", "permission is asked of the source namespace");
    }

    [Fact]
    public void An_allowed_cross_namespace_clone_is_stamped_with_a_token_for_exactly_this_clone()
    {
        var authorizer = new FakeAuthorizer(a => a.Resource == "datavolumes" && a.Subresource == "source");
        var (admission, request) = Admit(authorizer, Clone("golden-images", token: "forged-by-the-user"));

        admission.Validate(request).Should().BeEmpty();
        admission.Stamp(request);

        var token = request.Object["metadata"]!["annotations"]![CloneTokens.Annotation]!.GetValue<string>();
        token.Should().NotBe("forged-by-the-user");
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(_key.ExportSubjectPublicKeyInfoPem());
        CloneTokens.Problem(token, publicKey, "golden-images", "golden", "team", "copy", Now).Should().BeNull();
        CloneTokens.Problem(token, publicKey, "golden-images", "golden", "team", "other", Now).Should().NotBeNull();
    }

    [Fact]
    public void Same_namespace_clones_ask_nobody_and_carry_no_token()
    {
        var authorizer = new FakeAuthorizer(_ => false);
        var (admission, request) = Admit(authorizer, Clone("team", token: "forged"));

        admission.Validate(request).Should().BeEmpty();
        admission.Stamp(request);

        authorizer.Asked.Should().BeEmpty();
        request.Object["metadata"]!["annotations"]!.AsObject().ContainsKey(CloneTokens.Annotation).Should().BeFalse("a token sent by a user is dropped");
    }

    [Fact]
    public void An_update_keeps_the_token_admission_stamped()
    {
        var (admission, request) = Admit(new FakeAuthorizer(_ => true), Clone("golden-images", token: "replaced-by-user"), AdmissionOperation.Update,
            old: Clone("golden-images", token: "stamped"));

        admission.Stamp(request);

        request.Object["metadata"]!["annotations"]![CloneTokens.Annotation]!.GetValue<string>().Should().Be("stamped");
    }
}
