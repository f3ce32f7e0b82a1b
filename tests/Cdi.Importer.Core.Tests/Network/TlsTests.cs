using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>TLS is verified by default; a private CA is trusted only when given; skipping verification is explicit.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _ca = TestCertificates.CreateCa();

    [Fact]
    public async Task Certificate_from_an_unknown_ca_fails_with_the_certificate_reason()
    {
        using var cert = TestCertificates.IssueServer(_ca, ["localhost"]);
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data), cert);

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().Be(ImportFailureReason.CertificateRejected);
        e.Message.Should().StartWith("TLS certificate of 127.0.0.1 is not trusted").And.Contain("--cert-dir");
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeFalse();
        server.Requests.Should().BeEmpty("no request is sent over an untrusted connection");
    }

    [Fact]
    public async Task Ca_from_a_cert_dir_is_trusted()
    {
        using var cert = TestCertificates.IssueServer(_ca, ["localhost"]);
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data), cert);
        using var certs = new TempDirectory();
        File.WriteAllText(certs.File("ca.crt"), _ca.ExportCertificatePem());
        File.WriteAllText(certs.File(".hidden"), "not a certificate");

        await _harness.RunAsync(server.LocalhostUrl(), NetworkHarness.FastRetries() with { TrustedCertificates = CertificateBundle.Load(certs.Path) });

        _harness.DiskShouldHold(_data);
    }

    [Fact]
    public async Task A_trusted_ca_does_not_excuse_a_wrong_host_name()
    {
        using var cert = TestCertificates.IssueServer(_ca, ["images.example.test"], withLoopbackAddress: false);
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data), cert);

        var e = await _harness.FailsCleanlyAsync(server.LocalhostUrl(), NetworkHarness.FastRetries() with { TrustedCertificates = [_ca] });

        e.Reason.Should().Be(ImportFailureReason.CertificateRejected);
    }

    [Fact]
    public async Task Skipping_verification_is_possible_when_asked_for()
    {
        using var cert = TestCertificates.IssueServer(_ca, ["images.example.test"], withLoopbackAddress: false);
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data), cert);

        await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries() with { InsecureSkipTlsVerify = true });

        _harness.DiskShouldHold(_data);
    }

    [Fact]
    public void Cert_dir_without_certificates_is_an_invalid_argument()
    {
        using var certs = new TempDirectory();
        File.WriteAllText(certs.File("README"), "nothing here");
        var act = () => CertificateBundle.Load(certs.Path);
        act.Should().Throw<ImportException>().Which.Reason.Should().Be(ImportFailureReason.InvalidArgument);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _harness.Dispose();
    }
}
