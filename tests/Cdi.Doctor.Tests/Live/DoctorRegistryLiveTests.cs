using Cdi.Doctor.Findings;
using Cdi.Doctor.Output;
using Cdi.Testing;

namespace Cdi.Doctor.Tests.Live;

/// <summary>
/// The registry findings against the real docker-registry on the local cluster: an untrusted certificate, a plain-HTTP
/// registry that is not insecure-listed, missing credentials and a missing image, each diagnosed by <c>./cdi doctor</c>
/// with its DataVolume and remedy, and the remedies, run as printed, make the next import get further or succeed.
/// </summary>
[Collection(DoctorLiveCollection.Name)]
public sealed class DoctorRegistryLiveTests(DoctorClusterFixture env)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private LocalCluster Cluster => env.Cluster;
    private DoctorRegistries Registries => env.Registries;

    [Fact]
    public async Task Untrusted_tls_unlisted_plain_http_missing_credentials_and_a_missing_image_are_each_diagnosed_and_the_remedies_work()
    {
        var ns = Cluster.NewNamespace();
        var tls = Registries.Tls.Host;
        var basic = Registries.Basic.Host;
        Cluster.Apply(Manifest("untrusted", $"docker://{tls}/{DoctorRegistries.Image}"), ns);
        Cluster.Apply(Manifest("plain", $"docker://{basic}/{DoctorRegistries.Image}"), ns);

        var findings = await FindingsUntil(ns, FindingIds.RegistryTlsUntrusted, FindingIds.RegistryNotInsecureListed);
        var untrusted = Single(findings, FindingIds.RegistryTlsUntrusted);
        untrusted.Object.Should().Be(new ObjectRef("DataVolume", ns, "untrusted"));
        untrusted.Summary.Should().Contain(tls);
        untrusted.Evidence[0].Should().Contain("reason=CertificateRejected");
        untrusted.Remedy.Should().StartWith($"kubectl create configmap untrusted-registry-ca -n {ns} --from-file=ca.crt=CA.pem; ")
            .And.Contain("spec.source.registry.certConfigMap: untrusted-registry-ca");
        var plain = Single(findings, FindingIds.RegistryNotInsecureListed);
        plain.Object.Should().Be(new ObjectRef("DataVolume", ns, "plain"));
        plain.Remedy.Should().StartWith($$$"""kubectl patch cdiconfig config --type merge -p '{"spec":{"insecureRegistries":["{{{basic}}}"]}}'; """);
        env.Doctor("-n", ns).ExitCode.Should().Be(1);

        try
        {
            // The two remedies, as printed (the CA file in place of CA.pem).
            Run(FirstCommand(untrusted.Remedy).Replace("CA.pem", Registries.CaFile, StringComparison.Ordinal));
            Run(FirstCommand(plain.Remedy));

            // Now the basic-auth registry is spoken to over HTTP and refuses a pull without credentials, and the TLS one
            // is trusted: a missing tag is reported as such, an existing one imports.
            Cluster.Apply(Manifest("noauth", $"docker://{basic}/{DoctorRegistries.Image}"), ns);
            Cluster.Apply(Manifest("missing", $"docker://{tls}/disks/nope:v1", "certConfigMap: untrusted-registry-ca"), ns);
            Cluster.Apply(Manifest("trusted", $"docker://{tls}/{DoctorRegistries.Image}", "certConfigMap: untrusted-registry-ca"), ns);

            findings = await FindingsUntil(ns, FindingIds.RegistryAuthFailed, FindingIds.ImageNotFound);
            var auth = Single(findings, FindingIds.RegistryAuthFailed);
            auth.Object.Should().Be(new ObjectRef("DataVolume", ns, "noauth"));
            auth.Evidence[0].Should().Contain("reason=SourceUnauthorized");
            auth.Remedy.Should().StartWith($"kubectl create secret generic noauth-registry -n {ns} --from-literal=accessKeyId=USER --from-literal=secretKey=PASSWORD; ")
                .And.Contain("spec.source.registry.secretRef: noauth-registry");
            var missing = Single(findings, FindingIds.ImageNotFound);
            missing.Object.Should().Be(new ObjectRef("DataVolume", ns, "missing"));
            missing.Evidence[0].Should().Contain("reason=SourceNotFound");
            missing.Remedy.Should().StartWith($"check it: skopeo inspect docker://{tls}/disks/nope:v1; ");
            findings.Should().NotContain(f => f.Object.Name == "trusted");

            // The credentials remedy, as printed (the registry's user and password in place of USER and PASSWORD).
            Run(FirstCommand(auth.Remedy).Replace("USER", "cdi-user", StringComparison.Ordinal).Replace("PASSWORD", "s3cret-Pa55", StringComparison.Ordinal));
            Cluster.Apply(Manifest("authed", $"docker://{basic}/{DoctorRegistries.Image}", "secretRef: noauth-registry"), ns);
            await WaitForPhase(ns, "trusted", "Succeeded");
            await WaitForPhase(ns, "authed", "Succeeded");
        }
        finally
        {
            Cluster.Ok("patch", "cdiconfig", "config", "--type", "merge", "-p", """{"spec":{"insecureRegistries":null}}""");
        }
    }

    private void Run(string command)
    {
        var run = env.RunRemedy(command);
        run.ExitCode.Should().Be(0, $"{command}: {run.Stderr}");
    }

    /// <summary>A remedy's first command: the text before its first "; ".</summary>
    private static string FirstCommand(string remedy) => remedy[..remedy.IndexOf("; ", StringComparison.Ordinal)];

    private async Task<IReadOnlyList<Finding>> FindingsUntil(string ns, params string[] ids)
    {
        IReadOnlyList<Finding> findings = [];
        var all = await Poll.UntilAsync(() =>
        {
            findings = FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout);
            return findings.Select(f => f.Id).ToHashSet().IsSupersetOf(ids);
        }, Patience, TimeSpan.FromSeconds(1));
        all.Should().BeTrue(string.Join("; ", findings.Select(f => $"{f.Id} {f.Object}: {(f.Evidence.Count > 0 ? f.Evidence[0] : "")}")));
        return findings;
    }

    private static Finding Single(IReadOnlyList<Finding> findings, string id) => findings.Should().ContainSingle(f => f.Id == id).Subject;

    private async Task WaitForPhase(string ns, string name, string phase) =>
        await Poll.OrThrowAsync(() => Task.FromResult(Cluster.Kubectl("get", "dv", name, "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == phase),
            Patience, () => Cluster.Kubectl("describe", "dv", name, "-n", ns).Stdout, TimeSpan.FromMilliseconds(250));

    private static string Manifest(string name, string url, string? extra = null) => $$"""
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: DataVolume
        metadata:
          name: {{name}}
        spec:
          source:
            registry:
              url: "{{url}}"
        {{(extra is null ? "" : $"      {extra}")}}
          storage:
            resources:
              requests:
                storage: 16Mi
        """;
}
