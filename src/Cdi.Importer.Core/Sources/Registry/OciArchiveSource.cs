using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// A container disk in a local OCI layout directory or archive, <c>oci-archive://PATH[:TAG]</c>: the same manifest
/// resolution, digest checks and disk-file extraction as a registry pull.
/// </summary>
public sealed class OciArchiveSource(string source, RemoteSourceOptions options, DecoderLimits limits) : IImageSource
{
    public const string Scheme = "oci-archive://";
    private OciLayoutStore? _store;
    private ContainerDiskStream? _stream;

    public string Description => source;

    public async ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken)
    {
        var (path, tag) = Split(source[Scheme.Length..]);
        _store = OciLayoutStore.Open(path);
        var platform = options.Platform is { } p ? OciPlatform.Parse(p) : OciPlatform.Default;
        var descriptor = await _store.FindAsync(tag, cancellationToken).ConfigureAwait(false);
        var manifest = await ManifestResolver.ResolveAsync(_store, descriptor.Digest.ToString(), descriptor.Digest, platform, source, cancellationToken)
            .ConfigureAwait(false);
        _stream = await ContainerDiskStream.OpenAsync(manifest.Layers, _store.OpenBlobAsync, limits, source, cancellationToken).ConfigureAwait(false);
        return new SourceStream(_stream, _stream.DiskLength, null);
    }

    /// <summary>A <c>:TAG</c> suffix is a tag only when what follows the last colon has no slash and the path without it exists.</summary>
    private static (string Path, string? Tag) Split(string rest)
    {
        if (rest.Length == 0)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, "oci-archive:// needs a path");
        }
        var colon = rest.LastIndexOf(':');
        if (colon > 0 && !rest[(colon + 1)..].Contains('/', StringComparison.Ordinal) && !Path.Exists(rest) && Path.Exists(rest[..colon]))
        {
            return (rest[..colon], rest[(colon + 1)..]);
        }
        return (rest, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        _store?.Dispose();
    }
}
