using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Sources.S3;

namespace Cdi.Importer.Core.Tests.S3;

public sealed class SigV4SignerTests
{
    [Fact]
    public void Matches_the_published_GET_object_example()
    {
        // The example request of AWS's "Signature Calculations for the Authorization Header" page (GET /test.txt, Range bytes=0-9).
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
        var signer = new SigV4Signer(new SourceCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "us-east-1");

        signer.Sign(request, new DateTimeOffset(2013, 5, 24, 0, 0, 0, TimeSpan.Zero));

        request.Headers.GetValues("Authorization").Single().Should().Be(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    [Theory]
    [InlineData("s3://bucket/dir/disk.img", null, "https://s3.amazonaws.com/", "bucket", "dir/disk.img", "us-east-1")]
    [InlineData("s3://bucket/disk.img", "http://127.0.0.1:9000", "http://127.0.0.1:9000/", "bucket", "disk.img", "us-east-1")]
    [InlineData("https://s3.eu-west-1.amazonaws.com/bucket/a/b.qcow2", null, "https://s3.eu-west-1.amazonaws.com/", "bucket", "a/b.qcow2", "eu-west-1")]
    [InlineData("http://minio.local:9000/images/fedora.qcow2", null, "http://minio.local:9000/", "images", "fedora.qcow2", "us-east-1")]
    public void Parses_s3_urls_and_upstream_endpoint_urls(string source, string? endpoint, string expectedEndpoint, string bucket, string key, string region)
    {
        var location = S3Location.Parse(source, endpoint);

        location.Endpoint.ToString().Should().Be(expectedEndpoint);
        location.Bucket.Should().Be(bucket);
        location.Key.Should().Be(key);
        location.Region.Should().Be(region);
    }

    [Fact]
    public void Encodes_keys_path_style()
    {
        S3Location.Parse("s3://b/dir/a b+c.img", "http://h:1").ObjectUrl.AbsolutePath.Should().Be("/b/dir/a%20b%2Bc.img");
    }
}
