using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Cdi.Cluster.Authentication;

namespace Cdi.Cluster.Tests.Rbac;

/// <summary>Service-account tokens: what verifies, and every forged, stale or malformed shape that must not.</summary>
public sealed class ServiceAccountTokensTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private ServiceAccountTokens Tokens => new(_key);

    private string Issue(TimeSpan? lifetime = null, string[]? audiences = null, ECDsa? key = null) =>
        new ServiceAccountTokens(key ?? _key).Issue("work", "importer", "uid-1", audiences ?? [ServiceAccountTokens.ApiAudience], Now, lifetime ?? TimeSpan.FromHours(1),
            ("pod-a", "pod-uid"));

    [Fact]
    public void An_issued_token_names_its_account_and_pod()
    {
        var claims = Tokens.Validate(Issue(), Now.AddMinutes(5), out var problem);
        problem.Should().BeEmpty();
        claims.Should().Be(new ServiceAccountTokenClaims("work", "importer", "uid-1", "pod-a", "pod-uid", Now.AddHours(1)));
    }

    [Fact]
    public void An_expired_token_is_refused()
    {
        Tokens.Validate(Issue(TimeSpan.FromMinutes(10)), Now.AddMinutes(12), out var problem).Should().BeNull();
        problem.Should().Be("the token has expired");
    }

    [Fact]
    public void A_token_signed_by_another_key_is_refused()
    {
        Tokens.Validate(Issue(key: _otherKey), Now, out var problem).Should().BeNull();
        problem.Should().Contain("signature does not verify");
    }

    [Fact]
    public void An_unsigned_alg_none_token_with_valid_claims_is_refused()
    {
        var parts = Issue().Split('.');
        var none = Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);
        Tokens.Validate($"{none}.{parts[1]}.", Now, out var problem).Should().BeNull();
        problem.Should().NotBeEmpty();
        Tokens.Validate($"{none}.{parts[1]}.{parts[2]}", Now, out problem).Should().BeNull();
        problem.Should().Be("the token's algorithm \"none\" is not accepted: only ES256");
    }

    [Fact]
    public void Changed_claims_break_the_signature()
    {
        var parts = Issue().Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("importer", "admin0x", StringComparison.Ordinal);
        Tokens.Validate($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}", Now, out var problem).Should().BeNull();
        problem.Should().Contain("signature does not verify");
    }

    [Fact]
    public void A_token_for_another_audience_does_not_authenticate_to_the_api_server()
    {
        Tokens.Validate(Issue(audiences: ["vault"]), Now, out var problem).Should().BeNull();
        problem.Should().Contain("audience");
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.###.$$$")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.AAAA")]
    [InlineData("NQ.NQ.AAAA")]
    [InlineData("W10.W10.AAAA")]
    public void Malformed_tokens_are_refused_with_one_line(string token)
    {
        Tokens.Validate(token, Now, out var problem).Should().BeNull();
        problem.Should().NotBeEmpty().And.NotContain("\n");
    }

    [Fact]
    public void Claims_of_the_wrong_shape_signed_by_the_right_key_are_refused()
    {
        var header = Base64Url.EncodeToString("""{"alg":"ES256","typ":"JWT"}"""u8);
        foreach (var payload in new[] { "5", "[]", """{"iss":"https://kubernetes.default.svc.cluster.local","exp":9999999999,"aud":"https://kubernetes.default.svc.cluster.local","kubernetes.io":"x"}""" })
        {
            var input = header + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
            var signature = _key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            Tokens.Validate(input + "." + Base64Url.EncodeToString(signature), Now, out var problem).Should().BeNull(payload);
            problem.Should().NotBeEmpty();
        }
    }

    [Fact]
    public void An_oversized_token_is_refused_before_decoding()
    {
        Tokens.Validate(new string('a', ServiceAccountTokens.MaxLength + 1), Now, out var problem).Should().BeNull();
        problem.Should().Contain("not a signed JWT");
    }

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }
}
