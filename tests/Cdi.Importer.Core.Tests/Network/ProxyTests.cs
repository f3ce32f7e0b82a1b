using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>Downloads through a real (fault-server) HTTP forward proxy, with the SSRF guard still applied to the destination.</summary>
public sealed class ProxyTests : IDisposable
{
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();

    [Fact]
    public async Task Plain_http_goes_through_the_proxy_with_the_absolute_url()
    {
        using var proxy = new FaultHttpServer(r => FaultReply.File(r, _data));
        var options = NetworkHarness.FastRetries() with { Proxy = new ImportProxy(new Uri($"http://127.0.0.1:{proxy.Port}"), "localhost") };

        await _harness.RunAsync("http://images.example.test/disk.img", options);

        _harness.DiskShouldHold(_data);
        proxy.Requests.Should().ContainSingle().Which.Target.Should().Be("http://images.example.test/disk.img");
    }

    [Fact]
    public async Task The_proxy_itself_is_trusted_but_a_private_destination_is_still_denied()
    {
        using var proxy = new FaultHttpServer(r => FaultReply.File(r, _data));
        var options = NetworkHarness.FastRetries() with
        {
            Proxy = new ImportProxy(new Uri($"http://127.0.0.1:{proxy.Port}"), null),
            AddressPolicy = NetworkAddressPolicy.DenyPrivate([]),
        };

        var e = await _harness.FailsCleanlyAsync("http://10.0.0.5/disk.img", options);

        e.Reason.Should().Be(ImportFailureReason.NetworkAddressDenied);
        e.Message.Should().StartWith("10.0.0.5 is a private address");
        proxy.Requests.Should().BeEmpty();

        await _harness.RunAsync("http://images.example.test/disk.img", options);
        _harness.DiskShouldHold(_data);
    }

    public void Dispose() => _harness.Dispose();
}
