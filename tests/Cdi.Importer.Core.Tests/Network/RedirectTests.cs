using System.Net;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>Redirects are followed by the importer itself: credentials and headers stay with the URL's host; https never drops to http.</summary>
public sealed class RedirectTests : IDisposable
{
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();

    private static HttpSourceOptions WithSecrets => NetworkHarness.FastRetries() with
    {
        Credentials = new NetworkCredential("alice", "s3cret"),
        Headers = [new("X-Api-Token", "tok-123")],
    };

    [Fact]
    public async Task Credentials_and_custom_headers_are_never_sent_to_another_host()
    {
        using var other = new FaultHttpServer(r => FaultReply.File(r, _data));
        using var origin = new FaultHttpServer(_ => FaultReply.Redirect(other.LocalhostUrl("/mirror/disk.img")));

        await _harness.RunAsync(origin.Url(), WithSecrets);

        _harness.DiskShouldHold(_data);
        origin.Requests.Should().ContainSingle();
        origin.Requests[0].Header("Authorization").Should().Be("Basic " + Convert.ToBase64String("alice:s3cret"u8.ToArray()));
        origin.Requests[0].Header("X-Api-Token").Should().Be("tok-123");
        other.Requests.Should().ContainSingle().Which.Target.Should().Be("/mirror/disk.img");
        other.Requests[0].Header("Authorization").Should().BeNull();
        other.Requests[0].Header("X-Api-Token").Should().BeNull();
    }

    [Fact]
    public async Task Same_port_by_another_name_is_another_host()
    {
        using var server = new FaultHttpServer(r => r.Target == "/start" ? FaultReply.Redirect(ServerUrl!.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)) : FaultReply.File(r, _data));
        ServerUrl = server.Url("/disk.img");

        await _harness.RunAsync(server.Url("/start"), WithSecrets);

        server.Requests.Should().HaveCount(2);
        server.Requests[0].Header("Authorization").Should().NotBeNull();
        server.Requests[1].Header("Host").Should().StartWith("localhost:");
        server.Requests[1].Header("Authorization").Should().BeNull();
    }

    private string? ServerUrl { get; set; }

    [Fact]
    public async Task Redirect_within_the_host_keeps_credentials_and_resumes_through_it()
    {
        using var server = new FaultHttpServer(r => r switch
        {
            { Target: "/start" } => FaultReply.Redirect("/files/disk.img", 307),
            { Index: 1 } => FaultReply.File(r, _data) with { ResetAfter = 1 << 20 },
            _ => FaultReply.File(r, _data),
        });

        await _harness.RunAsync(server.Url("/start"), WithSecrets);

        _harness.DiskShouldHold(_data);
        server.Requests.Select(r => r.Target).Should().Equal("/start", "/files/disk.img", "/start", "/files/disk.img");
        server.Requests.Should().OnlyContain(r => r.Header("Authorization") != null && r.Header("X-Api-Token") == "tok-123");
        server.Requests[3].RangeStart.Should().BePositive("the resume follows the redirect again, with its Range");
    }

    [Fact]
    public async Task Https_to_http_redirect_is_refused()
    {
        using var ca = TestCertificates.CreateCa();
        using var cert = TestCertificates.IssueServer(ca, ["localhost"]);
        using var plain = new FaultHttpServer(r => FaultReply.File(r, _data));
        using var secure = new FaultHttpServer(_ => FaultReply.Redirect(plain.Url()), cert);

        var e = await _harness.FailsCleanlyAsync(secure.Url(), NetworkHarness.FastRetries() with { TrustedCertificates = [ca] });

        e.Reason.Should().Be(ImportFailureReason.RedirectRefused);
        e.Message.Should().Be($"{secure.Url()} redirected from https to plain http (127.0.0.1), which is not allowed");
        plain.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task More_than_ten_redirects_are_refused()
    {
        using var server = new FaultHttpServer(r => FaultReply.Redirect($"/hop{r.Index + 1}"));

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().Be(ImportFailureReason.RedirectRefused);
        e.Message.Should().Contain("redirected more than 10 times");
        server.Requests.Should().HaveCount(11);
    }

    public void Dispose() => _harness.Dispose();
}
