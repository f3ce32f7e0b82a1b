namespace Cdi.Importer.Core.Sources;

/// <summary>
/// Where image bytes come from. A source knows nothing about formats or phases: it opens a stream of the bytes as
/// served. Capabilities such as ranged reads are separate interfaces a source may add.
/// </summary>
public interface IImageSource : IAsyncDisposable
{
    /// <summary>For messages: the URL or path, without credentials.</summary>
    string Description { get; }

    ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken);
}
