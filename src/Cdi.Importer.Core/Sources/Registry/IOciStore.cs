namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>Where an image's manifests and blobs come from: a registry, or a local OCI layout or archive.</summary>
public interface IOciStore
{
    /// <summary>The manifest or index named by a tag or digest, as bytes (at most <see cref="OciManifest.MaxBytes"/>) and the media type served.</summary>
    Task<(byte[] Body, string? MediaType)> GetManifestAsync(string reference, CancellationToken cancellationToken);

    /// <summary>A blob's bytes, verified against its digest and size as they are read.</summary>
    Task<Stream> OpenBlobAsync(OciDescriptor blob, CancellationToken cancellationToken);
}
