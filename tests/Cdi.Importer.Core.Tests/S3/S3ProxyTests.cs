using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Tests.Network;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.S3;

/// <summary>The import proxy applies to S3 (and registry) requests as to HTTP sources.</summary>
public sealed class S3ProxyTests : IDisposable
{
    private readonly TempDirectory _dir = new("cdi-s3-proxy");
    private readonly byte[] _data = SourceData.Raw();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task S3_requests_go_through_the_import_proxy()
    {
        using var proxy = new FaultHttpServer(r => FaultReply.File(r, _data));
        var httpOptions = NetworkHarness.FastRetries() with
        {
            ParallelConnections = 1,
            Proxy = new ImportProxy(new Uri($"http://127.0.0.1:{proxy.Port}"), null),
        };
        using var importer = new S3Importer(httpOptions, new RemoteSourceOptions(S3Endpoint: "http://s3.example.test"));
        var target = _dir.Sub("target");

        await importer.RunAsync("s3://disks/raw.img", target);

        proxy.Requests.Should().NotBeEmpty();
        proxy.Requests[0].Target.Should().Be("http://s3.example.test/disks/raw.img", "a proxied request carries the absolute URL");
        File.ReadAllBytes(Path.Combine(target, "disk.img")).AsSpan(0, _data.Length).SequenceEqual(_data).Should().BeTrue();
    }
}
