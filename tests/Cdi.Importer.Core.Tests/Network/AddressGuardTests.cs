using System.Net;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>The SSRF guard: the URL, each redirect and each resolved address, checked when the connection is made.</summary>
public sealed class AddressGuardTests : IDisposable
{
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();

    private static HttpSourceOptions Denying(params string[] allowed) => NetworkHarness.FastRetries() with
    {
        AddressPolicy = NetworkAddressPolicy.DenyPrivate(allowed.Select(NetworkAddressPolicy.ParseNetwork)),
    };

    [Fact]
    public async Task Loopback_literal_is_denied_before_any_request()
    {
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data));

        var e = await _harness.FailsCleanlyAsync(server.Url(), Denying());

        e.Reason.Should().Be(ImportFailureReason.NetworkAddressDenied);
        e.Message.Should().Be("127.0.0.1 is a loopback address, which imports may not reach (allow its network to import from it)");
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeFalse();
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Name_resolving_to_loopback_is_denied_at_connect_time()
    {
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data));

        var e = await _harness.FailsCleanlyAsync(server.LocalhostUrl(), Denying());

        e.Reason.Should().Be(ImportFailureReason.NetworkAddressDenied);
        e.Message.Should().MatchRegex("^localhost resolves to (127\\.0\\.0\\.1|::1), a loopback address");
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Allowed_network_is_reachable()
    {
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data));

        await _harness.RunAsync(server.Url(), Denying("127.0.0.0/8"));

        _harness.DiskShouldHold(_data);
    }

    [Fact]
    public async Task Redirect_to_cloud_metadata_is_denied()
    {
        using var server = new FaultHttpServer(_ => FaultReply.Redirect("http://169.254.169.254/latest/meta-data/"));

        var e = await _harness.FailsCleanlyAsync(server.Url(), Denying("127.0.0.0/8"));

        e.Reason.Should().Be(ImportFailureReason.NetworkAddressDenied);
        e.Message.Should().StartWith("169.254.169.254 is a link-local (cloud metadata) address");
        server.Requests.Should().ContainSingle();
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.10", "private")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("169.254.169.254", "link-local (cloud metadata)")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd12:3456::1", "unique local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("8.8.8.8", null)]
    [InlineData("172.32.0.1", null)]
    [InlineData("2001:4860:4860::8888", null)]
    public void Deny_list_covers_the_private_ranges(string address, string? kind)
    {
        var policy = NetworkAddressPolicy.DenyPrivate([]);
        policy.DenialKind(IPAddress.Parse(address)).Should().Be(kind);
        NetworkAddressPolicy.AllowAll.DenialKind(IPAddress.Parse(address)).Should().BeNull();
    }

    [Theory]
    [InlineData("169.254.169.254", "link-local (cloud metadata)")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fd00:ec2::254", "cloud metadata")]
    [InlineData("::ffff:169.254.169.254", "link-local (cloud metadata)")]
    [InlineData("10.1.2.3", null)]
    [InlineData("192.168.1.1", null)]
    [InlineData("127.0.0.1", null)]
    [InlineData("fd12:3456::1", null)]
    public void An_importer_pods_default_guard_denies_only_cloud_metadata(string address, string? kind)
    {
        NetworkAddressPolicy.DenyCloudMetadata([]).DenialKind(IPAddress.Parse(address)).Should().Be(kind);
        NetworkAddressPolicy.DenyCloudMetadata([NetworkAddressPolicy.ParseNetwork("169.254.0.0/16"), NetworkAddressPolicy.ParseNetwork("fd00:ec2::254")])
            .DenialKind(IPAddress.Parse(address)).Should().BeNull("CDIConfig allowedNetworks opens even the metadata range");
    }

    [Fact]
    public void Allow_list_opens_only_its_networks()
    {
        var policy = NetworkAddressPolicy.DenyPrivate([NetworkAddressPolicy.ParseNetwork("10.20.0.0/16"), NetworkAddressPolicy.ParseNetwork("fd00::1")]);
        policy.DenialKind(IPAddress.Parse("10.20.5.5")).Should().BeNull();
        policy.DenialKind(IPAddress.Parse("10.21.5.5")).Should().Be("private");
        policy.DenialKind(IPAddress.Parse("fd00::1")).Should().BeNull();
        policy.DenialKind(IPAddress.Parse("fd00::2")).Should().Be("unique local");
        var act = () => NetworkAddressPolicy.ParseNetwork("10.0.0.0/33");
        act.Should().Throw<FormatException>();
    }

    public void Dispose() => _harness.Dispose();
}
