using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>One mirror for a registry: <c>docker.io=harbor.internal/proxy</c> reads <c>docker.io/library/x</c> as <c>harbor.internal/proxy/library/x</c>.</summary>
public sealed record RegistryMirror(string Registry, string MirrorHost, string PathPrefix)
{
    public static RegistryMirror Parse(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid registry mirror \"{text}\": use REGISTRY=MIRROR[/PREFIX], such as docker.io=harbor.internal/proxy");
        }
        return Create(text[..eq], text[(eq + 1)..]);
    }

    public static RegistryMirror Create(string registry, string mirror)
    {
        var m = mirror.Trim().TrimEnd('/');
        foreach (var scheme in new[] { "https://", "http://", "docker://" })
        {
            if (m.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                m = m[scheme.Length..];
            }
        }
        var slash = m.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? m : m[..slash];
        var prefix = slash < 0 ? "" : m[(slash + 1)..];
        var r = registry.Trim().ToLowerInvariant();
        if (r is "index.docker.io" or "registry-1.docker.io")
        {
            r = ImageReference.DockerHub;
        }
        if (host.Length == 0 || r.Length == 0)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid registry mirror \"{registry}={mirror}\"");
        }
        return new RegistryMirror(r, host.ToLowerInvariant(), prefix);
    }

    public ImageReference Apply(ImageReference reference) =>
        reference with { Registry = MirrorHost, Repository = PathPrefix.Length == 0 ? reference.Repository : $"{PathPrefix}/{reference.Repository}" };
}
