using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary>Basic auth (htpasswd) and TLS with a private CA, on real docker-registry instances.</summary>
public sealed class SecureRegistryTests(SecureRegistryFixture secure) : IClassFixture<SecureRegistryFixture>
{
    private static ImportRequest Request(string source, string target) => new(source, target, 64L << 20, FilesystemOverhead: 0m);

    private string BasicImage => $"docker://{secure.Basic.Host}/private/disk:v1";

    private string TlsImage => $"docker://{secure.Tls.Host}/tls/disk:v1";

    [Fact]
    public async Task Basic_auth_registry_pulls_with_the_secret()
    {
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request(BasicImage, target.Path),
            new RemoteSourceOptions(SecretDirectory: secure.SecretDirectory, InsecureRegistries: [secure.Basic.Host]));

        result.Format.Should().Be(ImageFormat.Raw);
        TestImages.CompareWithReference(result.OutputPath, secure.Disks.RawPath, result.Capacity).Should().BeNull();
    }

    [Fact]
    public async Task Basic_auth_registry_without_or_with_wrong_credentials_says_so()
    {
        using var target = new TempDirectory();
        var missing = await RegistryHarness.FailAsync(Request(BasicImage, target.Path), new RemoteSourceOptions(InsecureRegistries: [secure.Basic.Host]));
        missing.Reason.Should().Be(ImportFailureReason.SourceUnauthorized);
        missing.Message.Should().Contain(secure.Basic.Host).And.Contain("--secret-dir");

        var wrong = await RegistryHarness.FailAsync(Request(BasicImage, target.Path),
            new RemoteSourceOptions(SecretDirectory: secure.WrongSecretDirectory, InsecureRegistries: [secure.Basic.Host]));
        wrong.Reason.Should().Be(ImportFailureReason.SourceUnauthorized);
        wrong.Message.Should().Contain("refused the credentials");
        target.Listing().Should().BeEmpty();
    }

    [Fact]
    public async Task Tls_registry_is_verified_with_the_cert_dir()
    {
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request(TlsImage, target.Path), new RemoteSourceOptions(CertDirectory: secure.Certificates.CaDirectory));

        TestImages.CompareWithReference(result.OutputPath, secure.Disks.RawPath, result.Capacity).Should().BeNull();
    }

    [Fact]
    public async Task Tls_registry_with_an_unknown_ca_is_refused_unless_listed_as_insecure()
    {
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request(TlsImage, target.Path), RemoteSourceOptions.None);
        e.Reason.Should().Be(ImportFailureReason.CertificateRejected, "a TLS failure is classified alike on every source");
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeFalse();
        e.Message.Should().Contain($"TLS verification of registry {secure.Tls.Host} failed").And.Contain("--cert-dir");
        target.Listing().Should().BeEmpty();

        var result = await RegistryHarness.RunAsync(Request(TlsImage, target.Path), new RemoteSourceOptions(InsecureRegistries: [secure.Tls.Host]));
        result.Format.Should().Be(ImageFormat.Raw);
    }
}
