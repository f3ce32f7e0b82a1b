using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// A container disk in a registry, <c>docker://host[:port]/repo[:tag|@digest]</c>. Mirrors of the registry are tried first;
/// the stream is the disk file's bytes, so the importer inspects and converts it like any download.
/// </summary>
public sealed class RegistrySource(string source, RemoteSourceOptions options, DecoderLimits limits) : IImageSource
{
    private readonly SourceTrust _trust = new(options.CertDirectory, options.Network);
    private ContainerDiskStream? _stream;

    private string? _used;

    public string Description => _used ?? source;

    /// <summary>Why each mirror tried before the one used was passed over.</summary>
    public IReadOnlyList<string> SkippedMirrors { get; private set; } = [];

    public async ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(source);
        var platform = options.Platform is { } p ? OciPlatform.Parse(p) : OciPlatform.Default;
        var credentials = SourceCredentials.FromDirectory(options.SecretDirectory);
        var skipped = new List<string>();
        var mirrors = (options.Mirrors ?? []).Where(m => m.Registry == reference.Registry).ToList();
        foreach (var candidate in mirrors.Select(m => m.Apply(reference)).Append(reference))
        {
            var client = new RegistryClient(candidate.Registry, IsInsecure(candidate.Registry), _trust, credentials, RateLimitPolicy.Default, options.Clock);
            OciManifest manifest;
            try
            {
                manifest = await ManifestResolver.ResolveAsync(new RegistryRepository(client, candidate.Repository), candidate.Reference, candidate.Digest,
                    platform, candidate.ToString(), cancellationToken).ConfigureAwait(false);
            }
            catch (ImportException e) when (!ReferenceEquals(candidate, reference) && IsMirrorTrouble(e.Reason))
            {
                skipped.Add($"mirror {candidate.Registry}: {e.Message}");
                continue;
            }
            catch (ImportException e) when (skipped.Count > 0)
            {
                throw new ImportException(e.Reason, $"{e.Message} (after mirrors failed: {string.Join("; ", skipped)})", e);
            }
            SkippedMirrors = skipped;
            _used = ReferenceEquals(candidate, reference) ? reference.ToString() : $"{candidate} (mirror of {reference.Registry})";
            _stream = await ContainerDiskStream.OpenAsync(manifest.Layers, (layer, ct) => client.OpenBlobAsync(candidate.Repository, layer, ct),
                limits, candidate.ToString(), cancellationToken).ConfigureAwait(false);
            return new SourceStream(_stream, _stream.DiskLength, null);
        }
        throw new InvalidOperationException("unreachable: the registry itself is always the last candidate");
    }

    private static bool IsMirrorTrouble(ImportFailureReason reason) => reason is ImportFailureReason.SourceNotFound or ImportFailureReason.SourceUnavailable
        or ImportFailureReason.SourceUnauthorized or ImportFailureReason.SourceHttpError or ImportFailureReason.SourceRateLimited;

    private bool IsInsecure(string host) =>
        (options.InsecureRegistries ?? []).Any(h => string.Equals(h.Trim().TrimEnd('/'), host, StringComparison.OrdinalIgnoreCase));

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        _trust.Dispose();
    }
}
