using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing;
using Cdi.Testing.Http;
using Cdi.Testing.Time;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>Transient answers are retried with backoff (Retry-After honoured); other client errors fail at once.</summary>
public sealed class RetryTests : IDisposable
{
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();

    [Fact]
    public async Task Too_many_requests_waits_exactly_as_long_as_retry_after_says()
    {
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.WithStatus(429, "Too Many Requests", ("Retry-After", "7"))
            : FaultReply.File(r, _data));
        var clock = new ManualTimeProvider();
        var retries = new List<HttpRetry>();
        var started = clock.GetUtcNow();
        // The wait's timer exists before OnRetry runs, so advancing the clock from it ends the wait: no real time passes.
        var options = HttpSourceOptions.Default with { OnRetry = r => { retries.Add(r); clock.Advance(r.Delay); } };

        await _harness.RunAsync(server.Url(), options, clock);

        _harness.DiskShouldHold(_data);
        retries.Should().ContainSingle().Which.Delay.Should().Be(TimeSpan.FromSeconds(7));
        retries[0].Cause.Should().Contain("HTTP 429");
        (clock.GetUtcNow() - started).Should().Be(TimeSpan.FromSeconds(7));
        server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Backoff_grows_exponentially_with_jitter_up_to_the_cap()
    {
        var policy = new HttpRetryPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) };
        policy.Backoff(1, 0).Should().Be(TimeSpan.FromMilliseconds(500));
        policy.Backoff(1, 1).Should().Be(TimeSpan.FromSeconds(1));
        policy.Backoff(4, 1).Should().Be(TimeSpan.FromSeconds(8));
        policy.Backoff(4, 0.5).Should().Be(TimeSpan.FromSeconds(6));
        policy.Backoff(30, 1).Should().Be(TimeSpan.FromSeconds(60));
        policy.RetryAfter(TimeSpan.FromHours(3)).Should().Be(policy.MaxRetryAfter);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Server_errors_then_success_are_retried_with_growing_waits()
    {
        var statuses = new[] { (500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable"), (408, "Request Timeout") };
        using var server = new FaultHttpServer(r => r.Index < statuses.Length
            ? FaultReply.WithStatus(statuses[r.Index].Item1, statuses[r.Index].Item2)
            : FaultReply.File(r, _data));
        var clock = new ManualTimeProvider();
        var retries = new List<HttpRetry>();
        var options = HttpSourceOptions.Default with { OnRetry = r => { retries.Add(r); clock.Advance(r.Delay); } };

        await _harness.RunAsync(server.Url(), options, clock);

        _harness.DiskShouldHold(_data);
        retries.Select(r => r.Attempt).Should().Equal(1, 2, 3, 4);
        retries.Select(r => r.Cause).Should().SatisfyRespectively(
            c => c.Should().Contain("HTTP 500"), c => c.Should().Contain("HTTP 502"), c => c.Should().Contain("HTTP 503"), c => c.Should().Contain("HTTP 408"));
        for (var i = 0; i < retries.Count; i++)
        {
            // Jitter keeps each wait within [half, full] of its exponential step of 1, 2, 4, 8 s.
            var step = TimeSpan.FromSeconds(1 << i);
            retries[i].Delay.Should().BeGreaterThanOrEqualTo(step / 2).And.BeLessThanOrEqualTo(step);
        }
    }

    [Fact]
    public async Task Persistent_server_errors_give_up_with_a_retryable_reason()
    {
        using var server = new FaultHttpServer(_ => FaultReply.WithStatus(503, "Service Unavailable"));
        var options = NetworkHarness.FastRetries() with { Retry = NetworkHarness.FastRetries().Retry with { MaxAttempts = 3 } };

        var e = await _harness.FailsCleanlyAsync(server.Url(), options);

        e.Reason.Should().Be(ImportFailureReason.SourceUnavailable);
        e.Message.Should().Be($"{server.Url()} answered HTTP 503 Service Unavailable (gave up after 3 attempts)");
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeTrue();
        server.Requests.Should().HaveCount(3);
    }

    [Theory]
    [InlineData(404, "Not Found", ImportFailureReason.SourceNotFound)]
    [InlineData(410, "Gone", ImportFailureReason.SourceNotFound)]
    [InlineData(401, "Unauthorized", ImportFailureReason.SourceUnauthorized)]
    [InlineData(403, "Forbidden", ImportFailureReason.SourceUnauthorized)]
    [InlineData(400, "Bad Request", ImportFailureReason.SourceHttpError)]
    public async Task Client_errors_fail_at_once(int status, string phrase, ImportFailureReason reason)
    {
        using var server = new FaultHttpServer(_ => FaultReply.WithStatus(status, phrase));

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().Be(reason);
        e.Message.Should().Be($"{server.Url()} answered HTTP {status} {phrase}");
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeFalse();
        server.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Server_that_never_answers_is_retried_after_the_idle_timeout()
    {
        using var server = new FaultHttpServer(r => r.Index == 0 ? new FaultReply { Silent = true } : FaultReply.File(r, _data));
        var retries = new List<HttpRetry>();

        await _harness.RunThroughOneStallAsync(server, retries);

        _harness.DiskShouldHold(_data);
        retries.Should().ContainSingle().Which.Cause.Should().Be($"{server.Url()} sent no answer for 60 s");
        server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Refused_connections_are_retried_then_reported()
    {
        var retries = new List<HttpRetry>();
        var url = $"http://127.0.0.1:{FreePort.Next()}/disk.img";

        var e = await _harness.FailsCleanlyAsync(url, NetworkHarness.FastRetries(retries));

        e.Reason.Should().Be(ImportFailureReason.SourceUnavailable);
        e.Message.Should().StartWith($"cannot reach {url}").And.EndWith("(gave up after 5 attempts)");
        retries.Should().HaveCount(4);
    }

    public void Dispose() => _harness.Dispose();
}
