using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Sources.Registry;
using Cdi.Testing;
using Cdi.Testing.Registry;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary>Rate limits, bearer tokens and mirrors, through a small front in front of the real registry.</summary>
public sealed class RegistryFrontTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static ImportRequest Request(string source, string target) => new(source, target, 64L << 20, FilesystemOverhead: 0m);

    [Fact]
    public async Task A_429_is_waited_out_per_Retry_After_then_the_pull_succeeds()
    {
        using var front = new RegistryFront(registry.Server.Host, rateLimit: 1, retryAfterSeconds: 7);
        var clock = new InstantTimeProvider();
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request($"docker://{front.Host}/disks/raw:v1", target.Path),
            new RemoteSourceOptions(InsecureRegistries: [front.Host], Time: clock));

        result.Format.Should().Be(ImageFormat.Raw);
        TestImages.CompareWithReference(result.OutputPath, registry.Disks.RawPath, result.Capacity).Should().BeNull();
        clock.Waits.Should().Equal(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task A_lasting_rate_limit_fails_naming_the_registry_and_the_rate_limit()
    {
        using var front = new RegistryFront(registry.Server.Host, rateLimit: 1000, retryAfterSeconds: 5);
        var clock = new InstantTimeProvider();
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request($"docker://{front.Host}/disks/raw:v1", target.Path),
            new RemoteSourceOptions(InsecureRegistries: [front.Host], Time: clock));

        e.Reason.Should().Be(ImportFailureReason.SourceRateLimited);
        e.Message.Should().Contain($"registry {front.Host} rate-limited").And.Contain("toomanyrequests").And.Contain("retry after 5s");
        clock.Waits.Should().HaveCount(RateLimitPolicy.Default.Attempts - 1).And.OnlyContain(w => w == TimeSpan.FromSeconds(5));
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeTrue();
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_bound_fails_at_once()
    {
        using var front = new RegistryFront(registry.Server.Host, rateLimit: 1000, retryAfterSeconds: 6 * 3600);
        var clock = new InstantTimeProvider();
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request($"docker://{front.Host}/disks/raw:v1", target.Path),
            new RemoteSourceOptions(InsecureRegistries: [front.Host], Time: clock));

        e.Reason.Should().Be(ImportFailureReason.SourceRateLimited);
        e.Message.Should().Contain("retry after 21600s");
        clock.Waits.Should().BeEmpty();
    }

    [Fact]
    public async Task Bearer_token_from_the_challenge_realm_with_the_secret_as_basic_auth()
    {
        using var front = new RegistryFront(registry.Server.Host, bearerToken: "tok-123", tokenCredentials: "robot:pw");
        using var dir = new TempDirectory();
        var secret = SecureRegistryFixture.Secret(dir.Sub("secret"), "robot", "pw");
        var target = dir.Sub("target");
        var result = await RegistryHarness.RunAsync(Request($"docker://{front.Host}/disks/cirros:v1", target),
            new RemoteSourceOptions(SecretDirectory: secret, InsecureRegistries: [front.Host]));
        result.Format.Should().Be(ImageFormat.Qcow2);

        var e = await RegistryHarness.FailAsync(Request($"docker://{front.Host}/disks/cirros:v1", dir.Sub("other")),
            new RemoteSourceOptions(InsecureRegistries: [front.Host]));
        e.Reason.Should().Be(ImportFailureReason.SourceUnauthorized);
        e.Message.Should().Contain("token service 127.0.0.1").And.Contain("HTTP 401");
    }

    [Fact]
    public async Task A_mirror_is_used_first_and_named_in_the_result()
    {
        using var mirror = new RegistryFront(registry.Server.Host, pathPrefix: "proxy");
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request("docker://registry.invalid/disks/raw:v1", target.Path),
            new RemoteSourceOptions(InsecureRegistries: [mirror.Host], Mirrors: [RegistryMirror.Parse($"registry.invalid={mirror.Host}/proxy")]));

        TestImages.CompareWithReference(result.OutputPath, registry.Disks.RawPath, result.Capacity).Should().BeNull();
        result.SourceUsed.Should().Be($"docker://{mirror.Host}/proxy/disks/raw:v1 (mirror of registry.invalid)");
    }

    [Fact]
    public async Task A_failing_mirror_falls_back_to_the_registry()
    {
        using var mirror = new RegistryFront(registry.Server.Host, pathPrefix: "proxy");
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request(registry.Image("raw"), target.Path),
            new RemoteSourceOptions(InsecureRegistries: [mirror.Host, registry.Server.Host], Mirrors: [RegistryMirror.Parse($"{registry.Server.Host}={mirror.Host}/elsewhere")]));

        result.SourceUsed.Should().Be(registry.Image("raw"));
        mirror.RequestCount.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task When_mirror_and_registry_both_fail_the_error_names_both()
    {
        using var mirror = new RegistryFront(registry.Server.Host, pathPrefix: "proxy");
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request("docker://registry.invalid/disks/missing:v1", target.Path),
            new RemoteSourceOptions(InsecureRegistries: [mirror.Host], Mirrors: [RegistryMirror.Parse($"registry.invalid={mirror.Host}/proxy")]));

        e.Message.Should().Contain("registry.invalid").And.Contain($"mirror {mirror.Host}");
    }
}
