using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>From a tag or digest to an image manifest: digests checked, one platform picked from an index.</summary>
public static class ManifestResolver
{
    /// <param name="pinned">The digest the reference names, checked against the manifest's bytes.</param>
    /// <param name="image">For messages.</param>
    public static async Task<OciManifest> ResolveAsync(IOciStore store, string reference, OciDigest? pinned, OciPlatform platform, string image,
        CancellationToken cancellationToken)
    {
        var what = $"manifest of {image}";
        var (body, mediaType) = await store.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        if (pinned is not null)
        {
            CheckDigest(body, pinned, what);
        }
        var manifest = OciManifest.Parse(body, mediaType, what);
        return manifest.IsIndex ? await PickAsync(store, manifest, platform, image, cancellationToken).ConfigureAwait(false) : manifest;
    }

    private static async Task<OciManifest> PickAsync(IOciStore store, OciManifest index, OciPlatform platform, string image, CancellationToken cancellationToken)
    {
        var chosen = index.Manifests.FirstOrDefault(m => m.Platform is { } mp && platform.Accepts(mp) && OciMediaTypes.IsManifest(m.MediaType))
            ?? index.Manifests.FirstOrDefault(m => m.Platform is { } mp && platform.Accepts(mp));
        if (chosen is null)
        {
            var offered = string.Join(", ", index.Manifests.Select(m => m.Platform?.ToString() ?? "unknown").Distinct());
            ImportException.Throw(ImportFailureReason.SourceNotFound, $"image {image} has no {platform} variant (it has {offered})");
        }
        var what = $"{platform} manifest of {image}";
        var (inner, innerType) = await store.GetManifestAsync(chosen.Digest.ToString(), cancellationToken).ConfigureAwait(false);
        if (inner.Length != chosen.Size)
        {
            ImportException.Throw(ImportFailureReason.DigestMismatch, $"{what} is {inner.Length} bytes, its index says {chosen.Size}");
        }
        CheckDigest(inner, chosen.Digest, what);
        var resolved = OciManifest.Parse(inner, innerType, what);
        if (resolved.IsIndex)
        {
            ImportException.Throw(ImportFailureReason.UnsupportedFormat, $"image {image} nests an index in an index");
        }
        return resolved;
    }

    public static void CheckDigest(byte[] body, OciDigest digest, string what)
    {
        using var hash = digest.CreateHash();
        hash.AppendData(body);
        if (!digest.Matches(hash.GetHashAndReset()))
        {
            ImportException.Throw(ImportFailureReason.DigestMismatch, $"{what} does not match its digest {digest}");
        }
    }
}
