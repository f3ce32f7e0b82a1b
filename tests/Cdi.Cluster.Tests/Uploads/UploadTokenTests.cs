using System.Security.Cryptography;
using Cdi.Api.Upload;
using Cdi.Cluster.Hosting;
using Cdi.Cluster.Uploads;
using Cdi.Testing;

namespace Cdi.Cluster.Tests.Uploads;

/// <summary>Upload tokens on a clock the test moves: exactly 5 minutes (and upstream's 10 s leeway), one claim, one key.</summary>
public sealed class UploadTokenTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_is_valid_for_five_minutes_and_the_leeway_then_refused_as_expired()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = UploadTokens.Issue(key, "ns", "disk", Issued);

        var claims = UploadTokens.Validate(token, key, Issued.AddMinutes(5).AddSeconds(10), out var problem);
        problem.Should().BeNull();
        claims!.Operation.Should().Be("Upload");
        (claims.Namespace, claims.Name, claims.Resource!.Resource).Should().Be(("ns", "disk", "persistentvolumeclaims"));

        UploadTokens.Validate(token, key, Issued.AddMinutes(5).AddSeconds(11), out problem).Should().BeNull();
        problem.Should().Contain("expired");
        UploadTokens.Validate(token, key, Issued.AddSeconds(-11), out problem).Should().BeNull("not before its issue, beyond the leeway");
        problem.Should().Contain("not valid before");
    }

    [Fact]
    public void A_changed_payload_or_header_does_not_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parts = UploadTokens.Issue(key, "ns", "disk", Issued).Split('.');
        var otherClaim = UploadTokens.Issue(key, "ns", "other", Issued).Split('.')[1];
        UploadTokens.Validate($"{parts[0]}.{otherClaim}.{parts[2]}", key, Issued, out var problem).Should().BeNull();
        problem.Should().Contain("signature does not verify");
        var hs256 = System.Buffers.Text.Base64Url.EncodeToString("""{"alg":"HS256"}"""u8);
        UploadTokens.Validate($"{hs256}.{parts[1]}.{parts[2]}", key, Issued, out problem).Should().BeNull();
        problem.Should().Contain("\"HS256\" is not accepted");
        UploadTokens.Validate(new string('a', 5000), key, Issued, out problem).Should().BeNull();
        problem.Should().Contain("not a signed JWT");
    }

    [Fact]
    public void The_signing_key_is_kept_owner_only_and_survives_a_restart()
    {
        using var dir = new TempDirectory("cdi-upload-key");
        using var first = SigningKeys.LoadOrCreate(dir.Path, SigningKeys.UploadFile);
        File.GetUnixFileMode(SigningKeys.Path(dir.Path, SigningKeys.UploadFile)).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var again = SigningKeys.LoadOrCreate(dir.Path, SigningKeys.UploadFile);
        var token = UploadTokens.Issue(first, "ns", "disk", Issued);
        UploadTokens.Validate(token, again, Issued, out _).Should().NotBeNull("a token outlives a cluster restart within its 5 minutes");
    }
}
