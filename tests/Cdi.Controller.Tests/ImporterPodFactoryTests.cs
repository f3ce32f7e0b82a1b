using Cdi.Controller.Settings;
using Cdi.Api.DataVolumes;
using Cdi.Controller.Importing;

namespace Cdi.Controller.Tests;

/// <summary>The http source's network settings reach the importer's spec, and their Secret and ConfigMap are mounted where it points.</summary>
public sealed class ImporterPodFactoryTests
{
    [Fact]
    public void Secret_cert_config_map_and_headers_reach_the_importer()
    {
        var dv = Observations.HttpDv();
        dv.Spec.Source!.Http = new HttpDataSource
        {
            Url = "https://images.example.com/disk.qcow2",
            SecretRef = "creds",
            CertConfigMap = "ca-bundle",
            ExtraHeaders = ["X-Token: abc"],
            SecretExtraHeaders = ["hdr-a", "hdr-b"],
        };
        var options = Observations.Options with { ImporterAllowedNetworks = ["127.0.0.0/8"] };

        var spec = ImporterPodFactory.Spec(dv, Observations.Claim(), withScratch: false, Defaults, options);
        spec.CertDir.Should().Be("/certs");
        spec.SecretDir.Should().Be("/secret");
        spec.ExtraHeaders.Should().Equal("X-Token: abc");
        spec.AllowedNetworks.Should().Equal("127.0.0.0/8");
        spec.ExtraHeaderDirs.Should().Equal("/extraheaders/0", "/extraheaders/1");

        var pod = ImporterPodFactory.Create(dv, Observations.Claim(), null, 1, options, Defaults);
        pod.Spec!.Volumes.Should().Contain(v => v.ConfigMap != null && v.ConfigMap.Name == "ca-bundle")
            .And.Contain(v => v.Secret != null && v.Secret.SecretName == "creds")
            .And.Contain(v => v.Name == "cdi-secret-extra-headers-vol-1" && v.Secret!.SecretName == "hdr-b");
        pod.Spec.Containers[0].VolumeMounts.Should().Contain(m => m.MountPath == "/certs" && m.ReadOnly == true)
            .And.Contain(m => m.MountPath == "/secret" && m.ReadOnly == true)
            .And.Contain(m => m.MountPath == "/extraheaders/1" && m.Name == "cdi-secret-extra-headers-vol-1");
    }

    [Fact]
    public void Plain_http_source_mounts_nothing_extra_and_reaches_private_networks_by_default()
    {
        var spec = ImporterPodFactory.Spec(Observations.HttpDv(), Observations.Claim(), withScratch: false, Defaults, Observations.Options);
        spec.CertDir.Should().BeNull();
        spec.SecretDir.Should().BeNull();
        spec.ExtraHeaders.Should().BeEmpty();
        spec.AllowedNetworks.Should().BeEmpty();
        spec.DenyPrivateNetworks.Should().BeFalse("upstream's importers reach private registries and in-cluster servers");
        ImporterPodFactory.Create(Observations.HttpDv(), Observations.Claim(), null, 1, Observations.Options, Defaults).Spec!.Volumes
            .Should().ContainSingle("only the data volume");
    }

    private static EffectiveSettings Defaults => EffectiveSettings.Defaults(Observations.Options);

    [Fact]
    public void Cdiconfig_allowed_networks_reach_the_importer_spec()
    {
        var settings = Defaults with { AllowedNetworks = ["10.0.0.0/8"] };
        var spec = ImporterPodFactory.Spec(Observations.HttpDv(), Observations.Claim(), withScratch: false, settings,
            Observations.Options with { ImporterAllowedNetworks = ["127.0.0.0/8"] });
        spec.AllowedNetworks.Should().Equal("127.0.0.0/8", "10.0.0.0/8");
        spec.DenyPrivateNetworks.Should().BeFalse();
        ImporterPodFactory.Spec(Observations.HttpDv(), Observations.Claim(), withScratch: false, settings with { DenyPrivateNetworks = true }, Observations.Options)
            .DenyPrivateNetworks.Should().BeTrue("CDIConfig denyPrivateNetworks asks for the strict guard");
    }
    [Fact]
    public void Insecure_skip_verify_and_an_s3_checksum_reach_the_importer_spec()
    {
        var dv = Observations.HttpDv();
        ImporterPodFactory.Spec(dv, Observations.Claim(), withScratch: false, Defaults, Observations.Options).InsecureSkipTlsVerify
            .Should().BeFalse("verification is the default");
        dv.Spec.Source!.Http!.InsecureSkipVerify = true;
        ImporterPodFactory.Spec(dv, Observations.Claim(), withScratch: false, Defaults, Observations.Options).InsecureSkipTlsVerify
            .Should().BeTrue("http.insecureSkipVerify is the explicit opt-out");

        var s3 = Observations.HttpDv();
        s3.Spec.Source = new DataVolumeSource { S3 = new S3DataSource { Url = "https://s3.example.com/bucket/disk.img", Checksum = "sha256:" + new string('a', 64) } };
        ImporterPodFactory.Spec(s3, Observations.Claim(), withScratch: false, Defaults, Observations.Options).Checksum
            .Should().Be("sha256:" + new string('a', 64));
    }

    [Fact]
    public void Cdiconfig_import_proxy_reaches_the_importer_by_the_source_scheme()
    {
        var settings = Defaults with
        {
            ImportProxy = ImportProxySettings.From(new Cdi.Api.Config.ImportProxy { HttpProxy = "http://plain:3128", HttpsProxy = "http://tls:3128", NoProxy = ".internal,10.0.0.0/8" }),
        };
        var https = Observations.HttpDv();
        https.Spec.Source!.Http!.Url = "https://images.example.com/disk.img";
        var spec = ImporterPodFactory.Spec(https, Observations.Claim(), withScratch: false, settings, Observations.Options);
        spec.Proxy.Should().Be("http://tls:3128");
        spec.NoProxy.Should().Be(".internal,10.0.0.0/8");

        var plain = Observations.HttpDv();
        plain.Spec.Source!.Http!.Url = "http://images.example.com/disk.img";
        ImporterPodFactory.Spec(plain, Observations.Claim(), withScratch: false, settings, Observations.Options).Proxy.Should().Be("http://plain:3128");

        ImporterPodFactory.Spec(plain, Observations.Claim(), withScratch: false, Defaults, Observations.Options).Proxy.Should().BeNull("no importProxy, no proxy");
        ImportProxySettings.From(new Cdi.Api.Config.ImportProxy { NoProxy = "x" }).Should().BeNull("noProxy alone configures no proxy");
    }
}
