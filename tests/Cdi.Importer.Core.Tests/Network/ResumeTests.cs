using System.Security.Cryptography;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>A broken download resumes with Range + If-Range only when that is provably the same bytes; otherwise it starts over.</summary>
public sealed class ResumeTests : IDisposable
{
    private const int BreakAt = (2 << 20) + 12345;
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();

    private ExpectedChecksum Sha256 => ExpectedChecksum.Parse("sha256:" + Convert.ToHexStringLower(SHA256.HashData(_data)));

    [Fact]
    public async Task Reset_mid_body_resumes_with_range_and_strong_etag_and_duplicates_nothing()
    {
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, _data) with { ResetAfter = BreakAt }
            : FaultReply.File(r, _data));
        var retries = new List<HttpRetry>();

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries(retries), checksum: Sha256);

        _harness.DiskShouldHold(_data);
        result.BytesRead.Should().Be(_data.Length, "every served byte is read exactly once");
        var requests = server.Requests;
        requests.Should().HaveCount(2);
        requests[0].Header("Range").Should().BeNull();
        requests[1].RangeStart.Should().BeInRange(1, BreakAt);
        requests[1].Header("If-Range").Should().Be("\"v1\"");
        retries.Should().ContainSingle().Which.Offset.Should().Be(requests[1].RangeStart);
    }

    [Fact]
    public async Task Resume_uses_last_modified_when_the_etag_is_weak()
    {
        var modified = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, _data, etag: "W/\"weak\"", lastModified: modified) with { ResetAfter = BreakAt }
            : FaultReply.File(r, _data, etag: "W/\"weak\"", lastModified: modified));

        await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries());

        _harness.DiskShouldHold(_data);
        server.Requests.Should().HaveCount(2);
        server.Requests[1].Header("If-Range").Should().Be("Sun, 01 Mar 2026 12:00:00 GMT");
    }

    [Fact]
    public async Task Body_shorter_than_content_length_is_resumed_not_accepted()
    {
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, _data.AsMemory(0, BreakAt)) with { ContentLength = _data.Length }
            : FaultReply.File(r, _data));

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries(), checksum: Sha256);

        _harness.DiskShouldHold(_data);
        result.BytesRead.Should().Be(_data.Length);
        server.Requests.Should().HaveCount(2);
        server.Requests[1].RangeStart.Should().Be(BreakAt);
    }

    [Fact]
    public async Task Stalled_body_is_resumed_after_the_idle_timeout()
    {
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, _data) with { StallAfter = BreakAt }
            : FaultReply.File(r, _data));
        var retries = new List<HttpRetry>();

        await _harness.RunThroughOneStallAsync(server, retries, Sha256);

        _harness.DiskShouldHold(_data);
        server.Requests.Should().HaveCount(2);
        retries.Should().ContainSingle().Which.Cause.Should().Contain("stalled: no byte for 60 s");
    }

    [Fact]
    public async Task Changed_resource_restarts_the_import_from_a_clean_state()
    {
        var second = SourceData.Raw(seed: 7);
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, _data, etag: "\"v1\"") with { ResetAfter = BreakAt }
            : FaultReply.File(r, second, etag: "\"v2\""));

        await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries());

        _harness.DiskShouldHold(second);
        var requests = server.Requests;
        requests.Should().HaveCount(3, "the resume got a 200 of the new version, which is discarded, then a clean start");
        requests[1].Header("If-Range").Should().Be("\"v1\"");
        requests[2].Header("Range").Should().BeNull();
        _harness.Workspace.Listing(_harness.Target).Should().Equal(["disk.img"], "nothing of the abandoned attempt is left");
    }

    [Fact]
    public async Task Server_ignoring_range_restarts_the_import_cleanly()
    {
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, _data, honourRange: false) with { ResetAfter = BreakAt }
            : FaultReply.File(r, _data, honourRange: false));

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries(), checksum: Sha256);

        _harness.DiskShouldHold(_data);
        result.BytesRead.Should().Be(_data.Length, "the restarted import counts and hashes the bytes once");
        server.Requests.Should().HaveCount(3);
        server.Requests[2].Header("Range").Should().BeNull();
    }

    [Fact]
    public async Task Content_range_that_does_not_match_is_never_appended()
    {
        using var server = new FaultHttpServer(r => r switch
        {
            { Index: 0 } => FaultReply.File(r, _data) with { ResetAfter = BreakAt },
            { RangeStart: { } start } => FaultReply.File(r, _data).WithHeader("Content-Range", $"bytes {start + 1}-{_data.Length - 1}/{_data.Length}"),
            _ => FaultReply.File(r, _data),
        });

        await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries(), checksum: Sha256);

        _harness.DiskShouldHold(_data);
        server.Requests.Should().HaveCount(3);
        server.Requests[2].Header("Range").Should().BeNull();
    }

    [Fact]
    public async Task Download_that_never_resumes_fails_with_a_clear_reason_and_no_disk()
    {
        using var server = new FaultHttpServer(r => r.RangeStart is { } start
            ? FaultReply.File(r, _data).WithHeader("Content-Range", $"bytes 0-{_data.Length - 1}/{_data.Length}")
            : FaultReply.File(r, _data) with { ResetAfter = BreakAt });

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().Be(ImportFailureReason.SourceNotResumable);
        e.Message.Should().Contain("with Content-Range \"bytes 0-").And.Contain("instead of bytes ");
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeTrue();
        server.Requests.Count(r => r.RangeStart is null).Should().Be(ImageImporter.MaxRestarts + 1);
    }

    [Fact]
    public async Task Short_body_without_validators_is_never_a_success()
    {
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data.AsMemory(0, BreakAt), etag: null) with { ContentLength = _data.Length });

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().Be(ImportFailureReason.SourceNotResumable);
        e.Message.Should().Contain($"after {BreakAt} of {_data.Length} bytes").And.Contain("no strong ETag or Last-Modified");
    }

    public void Dispose() => _harness.Dispose();
}
