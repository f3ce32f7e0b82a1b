using Cdi.Api.Config;
using Cdi.Api.Contracts;
using Cdi.Controller.DataVolumes;
using Cdi.Api.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Settings;
using Cdi.Kube.Models;
using static Cdi.Controller.Tests.Observations;

namespace Cdi.Controller.Tests;

/// <summary>Registry and S3 DataVolumes become importer specs with their secret, CA, insecure-registry and mirror settings.</summary>
public sealed class RemoteSourcePodTests
{
    private static DataVolume With(DataVolumeSource source) => HttpDv() with { Spec = HttpDv().Spec with { Source = source } };

    private static EffectiveSettings Settings(List<string>? insecure = null, ConfigMap? legacy = null, Dictionary<string, string>? mirrors = null) =>
        EffectiveSettings.From(new CdiConfig { Spec = new CdiConfigSpec { InsecureRegistries = insecure, RegistryMirrors = mirrors } }, [], Options,
            LegacyInsecureRegistries.Hosts(legacy));

    [Fact]
    public void Registry_source_mounts_secret_and_certs_and_passes_insecure_registries_mirrors_and_platform()
    {
        var dv = With(new DataVolumeSource
        {
            Registry = new RegistryDataSource
            {
                Url = "docker://registry.local:5000/disks/cirros:v1", SecretRef = "pull-secret", CertConfigMap = "registry-ca",
                Platform = new RegistryPlatform { Architecture = "arm64" },
            },
        });
        var legacy = new ConfigMap { Metadata = new ObjectMeta { Name = "cdi-insecure-registries", Namespace = "cdi" }, Data = new() { ["a"] = "old.local:5000" } };
        var settings = Settings(["registry.local:5000"], legacy, new() { ["docker.io"] = "harbor.internal/proxy" });

        ImportSourceKind.Unsupported(dv).Should().BeNull();
        var pod = ImporterPodFactory.Create(dv, Claim(), null, 0, Options, settings);
        var spec = ImporterPodFactory.Spec(dv, Claim(), false, settings, Options);

        spec.Source.Should().Be("docker://registry.local:5000/disks/cirros:v1");
        spec.SecretDir.Should().Be("/secret");
        spec.CertDir.Should().Be("/certs");
        spec.InsecureRegistries.Should().Equal("registry.local:5000", "old.local:5000");
        spec.RegistryMirrors.Should().Equal("docker.io=harbor.internal/proxy");
        spec.Platform.Should().Be("arm64");
        pod.Spec!.Volumes.Should().Contain(v => v.Secret != null && v.Secret.SecretName == "pull-secret");
        pod.Spec.Volumes.Should().Contain(v => v.ConfigMap != null && v.ConfigMap.Name == "registry-ca");
        pod.Spec.Containers[0].VolumeMounts.Should().Contain(m => m.MountPath == "/secret").And.Contain(m => m.MountPath == "/certs");
    }

    [Fact]
    public void S3_source_is_split_into_endpoint_and_bucket_key()
    {
        var dv = With(new DataVolumeSource { S3 = new S3DataSource { Url = "https://s3.example.com/images/fedora/disk.qcow2", SecretRef = "s3-keys" } });

        ImportSourceKind.Unsupported(dv).Should().BeNull();
        var spec = ImporterPodFactory.Spec(dv, Claim(), false, Settings(["registry.local:5000"]), Options);

        spec.Source.Should().Be("s3://images/fedora/disk.qcow2");
        spec.S3Endpoint.Should().Be("https://s3.example.com");
        spec.SecretDir.Should().Be("/secret");
        spec.CertDir.Should().BeNull();
        spec.InsecureRegistries.Should().BeEmpty();
    }

    [Fact]
    public void Http_source_gets_no_registry_settings()
    {
        var spec = ImporterPodFactory.Spec(HttpDv(), Claim(), false, Settings(["registry.local:5000"]), Options);
        spec.InsecureRegistries.Should().BeEmpty();
        spec.SecretDir.Should().BeNull();
    }

    [Theory]
    [InlineData("docker://r/x", "node", null, null)]
    [InlineData("oci-archive:///tmp/x.tar", null, null, "oci-archive:// sources are not supported yet")]
    [InlineData("http://r/x", null, null, "must be docker://")]
    [InlineData("docker://r/x", null, "archive", "content type kubevirt only")]
    public void Unsupported_registry_forms_say_why(string url, string? pullMethod, string? contentType, string? message)
    {
        var dv = With(new DataVolumeSource { Registry = new RegistryDataSource { Url = url, PullMethod = pullMethod } });
        dv = dv with { Spec = dv.Spec with { ContentType = contentType } };
        ImportSourceKind.Unsupported(dv).Should().Contain(message ?? "pullMethod \"node\" is not supported");
    }

    [Fact]
    public void S3_url_without_a_key_is_unsupported()
    {
        ImportSourceKind.Unsupported(With(new DataVolumeSource { S3 = new S3DataSource { Url = "https://s3/x" } })).Should().Contain("/BUCKET/KEY");
    }

    [Fact]
    public void Success_through_a_mirror_names_the_mirror_and_a_rate_limit_failure_is_retried()
    {
        var running = new DataVolumeStatus { Phase = DataVolumePhase.ImportInProgress };
        var dv = With(new DataVolumeSource { Registry = new RegistryDataSource { Url = "docker://docker.io/library/alpine:3" } }) with { Status = running };
        var mirrored = new ImporterResult { Version = ImporterResult.CurrentVersion, Succeeded = true, Message = "Import Complete", SourceUsed = "docker://harbor.internal/proxy/library/alpine:3 (mirror of docker.io)" };
        var ok = DataVolumeDecider.Decide(Observe(dv, claim: Claim(), pod: Pod("Succeeded", mirrored)), Options);
        ok.Status.Phase.Should().Be(DataVolumePhase.Succeeded);
        ok.Status.Conditions.Should().Contain(c => c.Type == "Running" && c.Message == $"Import Complete from {mirrored.SourceUsed}");

        var limited = new ImporterResult
        {
            Version = ImporterResult.CurrentVersion,
            Succeeded = false, Reason = ImporterFailureReason.SourceRateLimited, Retryable = true,
            Message = "registry docker.io rate-limited the pull of manifest library/alpine:3 (HTTP 429 toomanyrequests)",
        };
        var retry = DataVolumeDecider.Decide(Observe(dv, claim: Claim(), pod: Pod("Failed", limited, exitCode: 4)), Options);
        retry.Status.Phase.Should().NotBe(DataVolumePhase.Failed);
        retry.Status.Conditions.Should().Contain(c => c.Message != null && c.Message.Contains("rate-limited", StringComparison.Ordinal));
    }
}
