using System.Text.Json;
using Cdi.Testing;
using Cdi.Testing.Http;

namespace Cdi.Cli.Tests;

/// <summary><c>cdi import</c>'s network options and <c>cdi-worker importer</c>'s SSRF default, against the fault-injecting server.</summary>
public sealed class NetworkOptionTests : IDisposable
{
    private readonly TempDirectory _ws = new();
    private readonly byte[] _raw;

    public NetworkOptionTests()
    {
        _raw = File.ReadAllBytes(TestImages.CreateRaw(_ws.File("base.raw"), 4L << 20));
    }

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Cert_dir_secret_dir_and_headers_reach_the_server()
    {
        using var ca = TestCertificates.CreateCa();
        using var cert = TestCertificates.IssueServer(ca, ["localhost"]);
        using var server = new FaultHttpServer(r => FaultReply.File(r, _raw), cert);
        Directory.CreateDirectory(_ws.File("certs"));
        File.WriteAllText(_ws.File("certs/tls.crt"), ca.ExportCertificatePem());
        Directory.CreateDirectory(_ws.File("secret"));
        File.WriteAllText(_ws.File("secret/accessKeyId"), "alice\n");
        File.WriteAllText(_ws.File("secret/secretKey"), "s3cret\n");

        var o = CdiCli.Run("import", "--source", server.Url(), "--target", _ws.File("vol"), "--size", "8Mi", "--progress", "none",
            "--cert-dir", _ws.File("certs"), "--secret-dir", _ws.File("secret"), "--header", "X-Trace: abc", "--header", "X-Other:  two words ");

        o.ExitCode.Should().Be(0, o.Stderr);
        var request = server.Requests.Should().ContainSingle().Subject;
        request.Header("Authorization").Should().Be("Basic " + Convert.ToBase64String("alice:s3cret"u8.ToArray()));
        request.Header("X-Trace").Should().Be("abc");
        request.Header("X-Other").Should().Be("two words");
        File.Exists(_ws.File("vol/disk.img")).Should().BeTrue();
    }

    [Fact]
    public void Untrusted_certificate_is_one_error_line_with_its_own_exit_code()
    {
        using var ca = TestCertificates.CreateCa();
        using var cert = TestCertificates.IssueServer(ca, ["localhost"]);
        using var server = new FaultHttpServer(r => FaultReply.File(r, _raw), cert);

        var o = CdiCli.Run("import", "--source", server.Url(), "--target", _ws.File("vol"), "--size", "8Mi", "--progress", "none");

        o.ExitCode.Should().Be(11);
        CdiCli.ErrorLines(o).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).Should().ContainSingle().Which.Should().StartWith("error: TLS certificate of 127.0.0.1 is not trusted");
        File.Exists(_ws.File("vol/disk.img")).Should().BeFalse();
    }

    [Fact]
    public void Insecure_skip_tls_verify_accepts_the_same_server()
    {
        using var ca = TestCertificates.CreateCa();
        using var cert = TestCertificates.IssueServer(ca, ["localhost"]);
        using var server = new FaultHttpServer(r => FaultReply.File(r, _raw), cert);

        var o = CdiCli.Run("import", "--source", server.Url(), "--target", _ws.File("vol"), "--size", "8Mi", "--progress", "none", "--insecure-skip-tls-verify");

        o.ExitCode.Should().Be(0, o.Stderr);
    }

    [Fact]
    public void Private_networks_are_allowed_for_a_user_unless_denied()
    {
        using var server = new FaultHttpServer(r => FaultReply.File(r, _raw));

        var denied = CdiCli.Run("import", "--source", server.Url(), "--target", _ws.File("vol"), "--size", "8Mi", "--deny-private-networks");
        denied.ExitCode.Should().Be(12);
        CdiCli.ErrorLines(denied).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).Should().Equal("error: 127.0.0.1 is a loopback address, which imports may not reach (allow its network to import from it)");
        server.Requests.Should().BeEmpty();

        var allowed = CdiCli.Run("import", "--source", server.Url(), "--target", _ws.File("vol"), "--size", "8Mi", "--progress", "none");
        allowed.ExitCode.Should().Be(0, allowed.Stderr);
    }

    [Fact]
    public void Transient_failure_is_retried_with_a_warning()
    {
        using var server = new FaultHttpServer(r => r.Index == 0 ? FaultReply.WithStatus(503, "Service Unavailable") : FaultReply.File(r, _raw));

        var o = CdiCli.Run("import", "--source", server.Url(), "--target", _ws.File("vol"), "--size", "8Mi", "--progress", "none");

        o.ExitCode.Should().Be(0, o.Stderr);
        CdiCli.ErrorLines(o).Should().Contain(l => l.StartsWith($"warning: {server.Url()} answered HTTP 503 Service Unavailable; retrying in ", StringComparison.Ordinal));
        server.Requests.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("--header", "no colon here")]
    [InlineData("--header", "Range: bytes=0-")]
    [InlineData("--proxy", "socks5://proxy:1080")]
    [InlineData("--cert-dir", "/nonexistent/certs")]
    [InlineData("--idle-timeout", "0")]
    public void Bad_network_options_are_invalid_arguments(string option, string value)
    {
        var o = CdiCli.Run("import", "--source", "http://127.0.0.1:9/disk.img", "--target", _ws.File("vol"), "--size", "8Mi", option, value);
        o.ExitCode.Should().Be(2);
        CdiCli.ErrorLines(o).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).Should().ContainSingle();
    }

    [Fact]
    public void Importer_pod_reaches_private_networks_as_upstream_and_the_strict_guard_denies_them_unless_allowed()
    {
        using var server = new FaultHttpServer(r => FaultReply.File(r, _raw));
        Directory.CreateDirectory(_ws.File("data"));
        Directory.CreateDirectory(_ws.File("hdr0"));
        File.WriteAllText(_ws.File("hdr0/token"), "X-Secret-Header: from a secret\n");
        File.WriteAllText(_ws.File("hdr0/.hidden"), "X-Ignored: yes");

        ProcessOutput RunPod(string[] allowed, bool strict = true)
        {
            var spec = JsonSerializer.Serialize(new
            {
                version = 1, source = server.Url(), target = "/data", size = 8L << 20, allowedNetworks = allowed, extraHeaderDirs = new[] { "/extraheaders/0" },
                denyPrivateNetworks = strict,
            });
            return ProcessRunner.Run(RepoPaths.WorkerBinary(), ["importer"], environment: new Dictionary<string, string>
            {
                ["CDI_IMPORTER_SPEC"] = spec,
                ["CDI_MOUNT_DATA"] = _ws.File("data"),
                ["CDI_MOUNT_EXTRAHEADERS_0"] = _ws.File("hdr0"),
                ["CDI_TERMINATION_LOG"] = _ws.File("termination-log"),
            });
        }

        var denied = RunPod([]);
        denied.ExitCode.Should().Be(12, denied.Stderr);
        var result = JsonDocument.Parse(File.ReadAllText(_ws.File("termination-log"))).RootElement;
        result.GetProperty("reason").GetString().Should().Be("NetworkAddressDenied");
        result.GetProperty("retryable").GetBoolean().Should().BeFalse();
        server.Requests.Should().BeEmpty();

        var allowed = RunPod(["127.0.0.0/8"]);
        allowed.ExitCode.Should().Be(0, allowed.Stderr);
        File.Exists(_ws.File("data/disk.img")).Should().BeTrue();
        server.Requests.Should().ContainSingle().Which.Header("X-Secret-Header").Should().Be("from a secret");
        allowed.Stderr.Should().NotContain("from a secret");

        // Without the strict guard (upstream's default) a server on a private or loopback address is reachable.
        File.Delete(_ws.File("data/disk.img"));
        var byDefault = RunPod([], strict: false);
        byDefault.ExitCode.Should().Be(0, byDefault.Stderr);
        File.Exists(_ws.File("data/disk.img")).Should().BeTrue();
        server.Requests.Should().HaveCount(2);
    }
}
