namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>One repository of a registry, as an <see cref="IOciStore"/>.</summary>
public sealed class RegistryRepository(RegistryClient client, string repository) : IOciStore
{
    public Task<(byte[] Body, string? MediaType)> GetManifestAsync(string reference, CancellationToken cancellationToken) =>
        client.GetManifestAsync(repository, reference, cancellationToken);

    public Task<Stream> OpenBlobAsync(OciDescriptor blob, CancellationToken cancellationToken) =>
        client.OpenBlobAsync(repository, blob, cancellationToken);
}
