using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Tests.Network;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.S3;

/// <summary>S3 objects get the HTTP source's resume: a broken body continues with a signed Range request.</summary>
public sealed class S3ResumeTests : IDisposable
{
    private readonly TempDirectory _dir = new("cdi-s3-resume");
    private readonly byte[] _data = SourceData.Raw();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_broken_download_resumes_with_signed_range_requests()
    {
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, _data) with { ResetAfter = _data.Length / 3 }
            : FaultReply.File(r, _data));
        var secret = _dir.Sub("secret");
        File.WriteAllText(Path.Combine(secret, "accessKeyId"), "AKIDEXAMPLE");
        File.WriteAllText(Path.Combine(secret, "secretKey"), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        var remote = new RemoteSourceOptions(SecretDirectory: secret, S3Endpoint: $"http://127.0.0.1:{server.Port}");
        using var importer = new S3Importer(NetworkHarness.FastRetries() with { ParallelConnections = 1 }, remote);
        var target = _dir.Sub("target");

        var result = await importer.RunAsync("s3://disks/raw.img", target);

        result.BytesRead.Should().Be(_data.Length, "nothing is fetched twice");
        TestImages.CompareWithReference(Path.Combine(target, "disk.img"), WriteSource(), 64L << 20).Should().BeNull();
        server.Requests.Should().HaveCountGreaterThan(1);
        server.Requests.Skip(1).Should().OnlyContain(r => r.RangeStart > 0);
        server.Requests.Should().OnlyContain(r => r.Header("Authorization") != null && r.Header("Authorization")!.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal));
        server.Requests.Skip(1).Should().OnlyContain(r => r.Header("Authorization")!.Contains("SignedHeaders=host;range;", StringComparison.Ordinal),
            "the Range header of a resumed request is signed too");
    }

    [Fact]
    public async Task A_store_error_then_success_is_retried_but_a_missing_object_is_not()
    {
        using var server = new FaultHttpServer(r => r.Target.Contains("missing", StringComparison.Ordinal)
            ? FaultReply.WithStatus(404, "Not Found")
            : r.Index == 0 ? FaultReply.WithStatus(503, "Slow Down") : FaultReply.File(r, _data));
        var remote = new RemoteSourceOptions(S3Endpoint: $"http://127.0.0.1:{server.Port}");
        using var importer = new S3Importer(NetworkHarness.FastRetries() with { ParallelConnections = 1 }, remote);

        var target = _dir.Sub("ok");
        await importer.RunAsync("s3://disks/raw.img", target);
        TestImages.CompareWithReference(Path.Combine(target, "disk.img"), WriteSource(), 64L << 20).Should().BeNull();

        var before = server.Requests.Count;
        var act = () => importer.RunAsync("s3://disks/missing.img", _dir.Sub("missing"));
        (await act.Should().ThrowAsync<ImportException>()).Which.Reason.Should().Be(ImportFailureReason.SourceNotFound);
        server.Requests.Count.Should().Be(before + 1, "a missing object is not retried");
    }

    private string WriteSource()
    {
        var path = _dir.File("source.raw");
        File.WriteAllBytes(path, _data);
        return path;
    }
}
