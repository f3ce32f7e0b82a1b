using System.Security.Cryptography;
using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Sources.S3;
using Cdi.Importer.Core.Tests.Registry;
using Cdi.Testing;
using Cdi.Testing.S3;

namespace Cdi.Importer.Core.Tests.S3;

/// <summary>S3 imports against the real s3rver emulator, which checks SigV4 signatures.</summary>
public sealed class S3ImportTests : IClassFixture<S3ImportTests.Store>
{
    private readonly Store _store;

    public S3ImportTests(Store store) => _store = store;

    public sealed class Store : IDisposable
    {
        private readonly TempDirectory _dir = new("cdi-s3-test");

        public Store()
        {
            Disks = new TestDisks();
            Server = new S3rverServer("disks");
            Secret = SecureRegistryFixture.Secret(_dir.Sub("secret"), S3rverServer.AccessKey, S3rverServer.SecretKey);
            WrongSecret = SecureRegistryFixture.Secret(_dir.Sub("wrong"), S3rverServer.AccessKey, "not-the-key");
            UnknownKey = SecureRegistryFixture.Secret(_dir.Sub("unknown"), "NOSUCHKEY", S3rverServer.SecretKey);
            Put("images/cirros.qcow2", Disks.Qcow2);
            Put("images/raw disk+1.img", Disks.Raw);
        }

        public TestDisks Disks { get; }

        public S3rverServer Server { get; }

        public string Secret { get; }

        public string WrongSecret { get; }

        public string UnknownKey { get; }

        private void Put(string key, byte[] data)
        {
            using var http = new HttpClient();
            var location = S3Location.Parse($"s3://{Server.Bucket}/{key}", Server.Endpoint);
            using var request = new HttpRequestMessage(HttpMethod.Put, location.ObjectUrl) { Content = new ByteArrayContent(data) };
            new SigV4Signer(new SourceCredentials(S3rverServer.AccessKey, S3rverServer.SecretKey), location.Region)
                .Sign(request, DateTimeOffset.UtcNow, Convert.ToHexStringLower(SHA256.HashData(data)));
            using var response = http.Send(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"PUT {key} to s3rver answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
            }
        }

        public void Dispose()
        {
            Server.Dispose();
            Disks.Dispose();
            _dir.Dispose();
        }
    }

    private static ImportRequest Request(string source, string target) => new(source, target, 64L << 20, FilesystemOverhead: 0m);

    private RemoteSourceOptions Options(string? secret) => new(SecretDirectory: secret, S3Endpoint: _store.Server.Endpoint);

    [Fact]
    public async Task Signed_get_imports_a_qcow2_object()
    {
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request("s3://disks/images/cirros.qcow2", target.Path), Options(_store.Secret));

        result.Format.Should().Be(ImageFormat.Qcow2);
        TestImages.CompareWithReference(result.OutputPath, _store.Disks.RawPath, result.Capacity).Should().BeNull();
        // s3rver serves Range with an ETag: the qcow2 converts from signed ranged reads, without a scratch copy.
        result.UsedScratch.Should().BeFalse();
    }

    [Fact]
    public async Task A_qcow2_object_with_a_checksum_goes_through_scratch_and_still_verifies()
    {
        using var target = new TempDirectory();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_store.Disks.Qcow2Path)));
        var result = await RegistryHarness.RunAsync(Request("s3://disks/images/cirros.qcow2", target.Path) with
        {
            Checksum = Cdi.Importer.Core.Checksums.ExpectedChecksum.Parse("sha256:" + sha),
        }, Options(_store.Secret));
        result.UsedScratch.Should().BeTrue();
        TestImages.CompareWithReference(result.OutputPath, _store.Disks.RawPath, result.Capacity).Should().BeNull();
    }

    [Fact]
    public async Task Anonymous_get_imports_a_raw_object_with_an_awkward_key()
    {
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request("s3://disks/images/raw disk+1.img", target.Path), Options(null));

        result.Format.Should().Be(ImageFormat.Raw);
        TestImages.CompareWithReference(result.OutputPath, _store.Disks.RawPath, result.Capacity).Should().BeNull();
    }

    [Fact]
    public async Task A_wrong_secret_key_fails_clearly_and_is_not_retried()
    {
        using var store = new CannedS3Server(403, "SignatureDoesNotMatch");
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request("s3://disks/images/cirros.qcow2", target.Path),
            new RemoteSourceOptions(SecretDirectory: _store.WrongSecret, S3Endpoint: store.Endpoint));

        e.Reason.Should().Be(ImportFailureReason.SourceUnauthorized);
        e.Message.Should().Contain("SignatureDoesNotMatch").And.Contain("s3://disks/images/cirros.qcow2").And.Contain("secret key is wrong");
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeFalse();
        store.Requests.Should().Be(1);
        target.Listing().Should().BeEmpty();
    }

    [Fact]
    public async Task An_unknown_access_key_fails_clearly()
    {
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request("s3://disks/images/cirros.qcow2", target.Path), Options(_store.UnknownKey));

        e.Reason.Should().Be(ImportFailureReason.SourceUnauthorized);
        e.Message.Should().Contain("InvalidAccessKeyId");
    }

    [Fact]
    public async Task A_missing_object_fails_as_not_found()
    {
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request("s3://disks/images/missing.img", target.Path), Options(_store.Secret));

        e.Reason.Should().Be(ImportFailureReason.SourceNotFound);
        e.Message.Should().Contain("NoSuchKey");
        ImportFailureReasons.IsRetryable(e.Reason).Should().BeFalse();
    }
}
