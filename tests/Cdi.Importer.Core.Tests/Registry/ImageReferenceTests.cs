using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources.Registry;

namespace Cdi.Importer.Core.Tests.Registry;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("docker://alpine", "docker.io", "library/alpine", "latest")]
    [InlineData("docker://kubevirt/cirros-container-disk-demo:v1", "docker.io", "kubevirt/cirros-container-disk-demo", "v1")]
    [InlineData("docker://quay.io/containerdisks/fedora:40", "quay.io", "containerdisks/fedora", "40")]
    [InlineData("docker://127.0.0.1:5000/disks/cirros:v1", "127.0.0.1:5000", "disks/cirros", "v1")]
    [InlineData("docker://localhost/disks/cirros", "localhost", "disks/cirros", "latest")]
    [InlineData("docker://registry-1.docker.io/library/busybox:1", "docker.io", "library/busybox", "1")]
    public void Parses_references_like_docker(string text, string registry, string repository, string reference)
    {
        var r = ImageReference.Parse(text);
        r.Registry.Should().Be(registry);
        r.Repository.Should().Be(repository);
        r.Reference.Should().Be(reference);
    }

    [Fact]
    public void A_digest_reference_is_validated()
    {
        var hex = new string('a', 64);
        ImageReference.Parse($"docker://r.io/x@sha256:{hex}").Reference.Should().Be($"sha256:{hex}");
    }

    [Theory]
    [InlineData("docker://r.io/x@sha256:abc")]
    [InlineData("docker://r.io/x@sha256:../../../../etc/passwd")]
    [InlineData("docker://r.io/x@md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("docker://r.io/X/Upper:v1")]
    [InlineData("docker://r.io/x/../y:v1")]
    [InlineData("docker://r.io/x:bad/tag")]
    public void Malformed_references_are_invalid_arguments(string text)
    {
        var act = () => ImageReference.Parse(text);
        act.Should().Throw<ImportException>().Which.Reason.Should().Be(ImportFailureReason.InvalidArgument);
    }

    [Theory]
    [InlineData("sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("sha256:" + "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("sha256:", false)]
    [InlineData("sha256/../x", false)]
    [InlineData("sha512:" + "00", false)]
    public void Digests_are_strict(string text, bool valid) => OciDigest.TryParse(text, out _).Should().Be(valid);

    [Fact]
    public void A_mirror_rewrites_host_and_prefixes_the_repository()
    {
        var mirror = RegistryMirror.Parse("docker.io=https://harbor.internal/proxy/");
        var mirrored = mirror.Apply(ImageReference.Parse("docker://alpine:3"));
        mirrored.ToString().Should().Be("docker://harbor.internal/proxy/library/alpine:3");
    }

    [Fact]
    public void Bearer_challenges_are_parsed()
    {
        var c = AuthChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"")!;
        c.Scheme.Should().Be("Bearer");
        c.Get("realm").Should().Be("https://auth.docker.io/token");
        c.Get("service").Should().Be("registry.docker.io");
        c.Get("scope").Should().Be("repository:library/alpine:pull");
    }

    [Theory]
    [InlineData("linux/arm64/v8", "linux", "arm64", "v8")]
    [InlineData("arm64", "linux", "arm64", null)]
    [InlineData("Linux/AMD64", "linux", "amd64", null)]
    public void Platforms_parse(string text, string os, string arch, string? variant) =>
        OciPlatform.Parse(text).Should().Be(new OciPlatform(os, arch, variant));
}
