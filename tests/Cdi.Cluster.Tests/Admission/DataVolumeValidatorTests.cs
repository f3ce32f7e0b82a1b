using System.Text.Json;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Api.DataVolumes.Validation;

namespace Cdi.Cluster.Tests.Admission;

/// <summary>Every DataVolume admission rule, on the pure validator: what passes, and what is refused naming which field.</summary>
public sealed class DataVolumeValidatorTests
{
    private const string Size = """ "storage": {"resources": {"requests": {"storage": "1Gi"}}} """;

    private static DataVolume Dv(string spec, string name = "dv") =>
        JsonSerializer.Deserialize("{\"metadata\": {\"name\": \"" + name + "\", \"namespace\": \"ns\"}, \"spec\": {" + spec + "}}", ApiJsonContext.Default.DataVolume)!;

    private static FieldError Refused(string spec, DataVolume? old = null)
    {
        var errors = DataVolumeValidator.Validate(Dv(spec), old);
        errors.Should().ContainSingle($"spec {spec} must be refused with one cause");
        errors[0].Message.Should().NotContain("\n");
        return errors[0];
    }

    [Theory]
    [InlineData("""{"blank": {}}""")]
    [InlineData("""{"upload": {}}""")]
    [InlineData("""{"http": {"url": "https://example.com/disk.qcow2"}}""")]
    [InlineData("""{"http": {"url": "http://10.0.0.1:8080/disk.img", "checksum": "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}}""")]
    [InlineData("""{"s3": {"url": "s3://bucket/disk.img"}}""")]
    [InlineData("""{"s3": {"url": "https://minio.local/bucket/disk.img"}}""")]
    [InlineData("""{"registry": {"url": "docker://quay.io/containerdisks/fedora:40"}}""")]
    [InlineData("""{"registry": {"url": "oci-archive:///images/disk.tar", "pullMethod": "node"}}""")]
    [InlineData("""{"registry": {"imageStream": "fedora"}}""")]
    [InlineData("""{"pvc": {"namespace": "golden", "name": "fedora"}}""")]
    [InlineData("""{"snapshot": {"namespace": "golden", "name": "snap"}}""")]
    public void Valid_sources_are_admitted(string source) =>
        DataVolumeValidator.Validate(Dv("""   "source":  """ + source + ", " + Size + " ")).Should().BeEmpty();

    [Fact]
    public void Archive_content_is_admitted_for_http_and_upload() =>
        DataVolumeValidator.Validate(Dv("""  "source": {"upload": {}}, "contentType": "archive",  """ + Size + " ")).Should().BeEmpty();

    [Fact]
    public void A_clone_through_storage_may_leave_the_size_to_its_source()
    {
        DataVolumeValidator.Validate(Dv(""" "source": {"pvc": {"namespace": "a", "name": "b"}}, "storage": {} """)).Should().BeEmpty();
        DataVolumeValidator.Validate(Dv(""" "sourceRef": {"kind": "DataSource", "name": "fedora"}, "storage": {} """)).Should().BeEmpty();
    }

    [Fact]
    public void A_pvc_spec_with_one_access_mode_and_a_size_is_admitted() =>
        DataVolumeValidator.Validate(Dv(""" "source": {"blank": {}}, "pvc": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "512Mi"}}} """))
            .Should().BeEmpty();

    [Theory]
    [InlineData("""{"source": {"blank": {}}}""", "spec.storage", "one of spec.storage or spec.pvc is required")]
    [InlineData("""{"source": {"blank": {}}, "pvc": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}, "storage": {"resources": {"requests": {"storage": "1Gi"}}}}""", "spec.pvc", "both set")]
    [InlineData("""{"source": {"blank": {}}, "storage": {}}""", "spec.storage.resources.requests[storage]", "a size is required")]
    [InlineData("""{"source": {"pvc": {"namespace": "a", "name": "b"}}, "pvc": {"accessModes": ["ReadWriteOnce"]}}""", "spec.pvc.resources.requests[storage]", "a size is required")]
    [InlineData("""{"source": {"blank": {}}, "storage": {"resources": {"requests": {"storage": "1Gb"}}}}""", "spec.storage.resources.requests[storage]", "Invalid value: \"1Gb\"")]
    [InlineData("""{"source": {"blank": {}}, "storage": {"resources": {"requests": {"storage": "0"}}}}""", "spec.storage.resources.requests[storage]", "greater than zero")]
    [InlineData("""{"source": {"blank": {}}, "storage": {"resources": {"requests": {"storage": "-1Gi"}}}}""", "spec.storage.resources.requests[storage]", "greater than zero")]
    [InlineData("""{"source": {"blank": {}}, "storage": {"resources": {"requests": {"storage": "1Gi"}, "limits": {"storage": "lots"}}}}""", "spec.storage.resources.limits[storage]", "Invalid value: \"lots\"")]
    [InlineData("""{"source": {"blank": {}}, "pvc": {"resources": {"requests": {"storage": "1Gi"}}}}""", "spec.pvc.accessModes", "at least 1 access mode")]
    [InlineData("""{"source": {"blank": {}}, "storage": {"accessModes": ["ReadWriteSometimes"], "resources": {"requests": {"storage": "1Gi"}}}}""", "spec.storage.accessModes[0]", "Unsupported value: \"ReadWriteSometimes\"")]
    [InlineData("""{"source": {"blank": {}}, "storage": {"volumeMode": "Raw", "resources": {"requests": {"storage": "1Gi"}}}}""", "spec.storage.volumeMode", "Unsupported value: \"Raw\"")]
    public void Storage_rules(string spec, string field, string message)
    {
        var error = Refused(spec.Trim()[1..^1]);
        error.Field.Should().Be(field);
        error.Message.Should().Contain(message);
    }

    [Theory]
    [InlineData("""{}""", "spec.source", "a source is required")]
    [InlineData("""{"blank": {}, "http": {"url": "http://example.com/a"}}""", "spec.source", "exactly one source is allowed, found http, blank")]
    [InlineData("""{"htttp": {"url": "http://example.com/a"}}""", "spec.source.htttp", "Unsupported source \"htttp\"")]
    [InlineData("""{"http": {"url": ""}}""", "spec.source.http.url", "a source URL is required")]
    [InlineData("""{"http": {"url": "example.com/disk.img"}}""", "spec.source.http.url", "not an absolute URL")]
    [InlineData("""{"http": {"url": "ftp://example.com/disk.img"}}""", "spec.source.http.url", "the scheme must be http:// or https://")]
    [InlineData("""{"http": {"url": "http://example.com/a b"}}""", "spec.source.http.url", "not an absolute URL")]
    [InlineData("""{"http": {"url": "http://example.com/a", "checksum": "crc32:1234"}}""", "spec.source.http.checksum", "md5, sha1, sha256 or sha512")]
    [InlineData("""{"http": {"url": "http://example.com/a", "checksum": "sha256:abc"}}""", "spec.source.http.checksum", "64 hex digits")]
    [InlineData("""{"s3": {"url": "gs://bucket/disk"}}""", "spec.source.s3.url", "the scheme must be s3://")]
    [InlineData("""{"registry": {"url": "https://quay.io/fedora"}}""", "spec.source.registry.url", "docker:// or oci-archive://")]
    [InlineData("""{"registry": {"url": "docker://"}}""", "spec.source.registry.url", "no image reference")]
    [InlineData("""{"registry": {}}""", "spec.source.registry", "exactly one of url or imageStream")]
    [InlineData("""{"registry": {"url": "docker://quay.io/a", "imageStream": "a"}}""", "spec.source.registry", "exactly one of url or imageStream")]
    [InlineData("""{"registry": {"url": "docker://quay.io/a", "pullMethod": "magic"}}""", "spec.source.registry.pullMethod", "Unsupported value: \"magic\"")]
    [InlineData("""{"pvc": {"name": "golden"}}""", "spec.source.pvc.namespace", "namespace is required")]
    [InlineData("""{"pvc": {"namespace": "golden"}}""", "spec.source.pvc.name", "name is required")]
    public void Source_rules(string source, string field, string message)
    {
        var error = Refused("""  "source":  """ + source + ", " + Size + " ");
        error.Field.Should().Be(field);
        error.Message.Should().Contain(message);
    }

    [Theory]
    [InlineData("""{"blank": {}}""", "iso", "Unsupported value: \"iso\"")]
    [InlineData("""{"blank": {}}""", "archive", "needs an http or upload source, not blank")]
    [InlineData("""{"registry": {"url": "docker://quay.io/a"}}""", "archive", "not registry")]
    [InlineData("""{"s3": {"url": "s3://b/k"}}""", "archive", "not s3")]
    public void Content_type_rules(string source, string contentType, string message)
    {
        var error = Refused("\"source\": " + source + ", \"contentType\": \"" + contentType + "\", " + Size);
        error.Field.Should().Be("spec.contentType");
        error.Message.Should().Contain(message);
    }

    [Theory]
    [InlineData(""" "sourceRef": {"kind": "DataSource", "name": "a"}, "source": {"blank": {}} """, "spec.source", "both set")]
    [InlineData(""" "sourceRef": {"name": "a"} """, "spec.sourceRef.kind", "kind is required")]
    [InlineData(""" "sourceRef": {"kind": "PersistentVolumeClaim", "name": "a"} """, "spec.sourceRef.kind", "only DataSource")]
    [InlineData(""" "sourceRef": {"kind": "DataSource"} """, "spec.sourceRef.name", "name is required")]
    [InlineData(""" "sourceRef": "fedora" """, "spec.sourceRef", "must be an object")]
    public void Source_ref_rules(string spec, string field, string message)
    {
        var error = Refused($"{spec}, {Size}");
        error.Field.Should().Be(field);
        error.Message.Should().Contain(message);
    }

    [Fact]
    public void Names_longer_than_kubernetes_allows_are_refused()
    {
        var errors = DataVolumeValidator.Validate(Dv("""  "source": {"blank": {}},  """ + Size + " ", new string('a', 254)));
        errors.Should().ContainSingle().Which.Field.Should().Be("metadata.name");
    }

    [Fact]
    public void The_spec_is_immutable_after_creation()
    {
        var old = Dv("""  "source": {"http": {"url": "http://example.com/a"}},  """ + Size + " ");
        var error = Refused("""  "source": {"http": {"url": "http://example.com/b"}},  """ + Size + " ", old);
        error.Field.Should().Be("spec");
        error.Type.Should().Be(FieldErrorType.FieldValueForbidden);
    }

    [Fact]
    public void Metadata_and_status_changes_pass_even_for_an_object_stored_before_a_rule_existed()
    {
        var old = Dv(""" "source": {"blank": {}}, "storage": {"resources": {"requests": {"storage": "1Gb"}}} """);
        var next = old with { Metadata = old.Metadata with { Labels = new() { ["a"] = "b" } }, Status = new DataVolumeStatus { Phase = "Failed" } };
        DataVolumeValidator.Validate(next, old).Should().BeEmpty();
    }

    [Fact]
    public void A_multi_stage_import_may_add_checkpoints_but_nothing_else()
    {
        const string Vddk = """ "source": {"vddk": {"url": "https://vcenter", "uuid": "u", "backingFile": "f", "thumbprint": "t", "secretRef": "s"}} """;
        var old = Dv(" " + Vddk + """ , "checkpoints": [{"previous": "", "current": "c1"}],  """ + Size + " ");
        DataVolumeValidator.Validate(Dv(" " + Vddk + """ , "checkpoints": [{"previous": "", "current": "c1"}, {"previous": "c1", "current": "c2"}], "finalCheckpoint": true,  """ + Size + " "), old)
            .Should().BeEmpty();
        DataVolumeValidator.Validate(Dv(" " + Vddk + """ , "checkpoints": [], "storage": {"resources": {"requests": {"storage": "2Gi"}}}  """), old)
            .Should().ContainSingle().Which.Field.Should().Be("spec");
        var http = Dv("""  "source": {"http": {"url": "http://example.com/a"}},  """ + Size + " ");
        DataVolumeValidator.Validate(Dv("""  "source": {"http": {"url": "http://example.com/a"}}, "checkpoints": [{"current": "x"}],  """ + Size + " "), http)
            .Should().ContainSingle("only vddk and imageio are multi-stage");
    }
}
