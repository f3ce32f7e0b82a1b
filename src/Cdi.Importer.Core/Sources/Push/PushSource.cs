using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Push;

/// <summary>
/// A source whose bytes are pushed in (an upload's request bodies) rather than pulled: the importer reads it like any
/// download, through the same checksum tee, decompressors, inspector and converters. Its bytes may arrive over several
/// requests (a resumed upload continues where the last one broke off); <see cref="Received"/> is how many it has
/// accepted, in order, which is exactly where a resumed upload must continue. Read once.
/// </summary>
/// <param name="length">The total the uploader announced, when it did: the importer sizes progress and checks by it,
/// and a stream that ends short of it is a failure, never a success.</param>
public sealed class PushSource(long? length) : IImageSource
{
    public const string Scheme = "upload:";

    private readonly PushStream _stream = new();
    private int _opened;

    public string Description => "upload";

    public long? Length => length;

    /// <summary>Bytes accepted so far: the offset a resumed upload continues from.</summary>
    public long Received => _stream.Written;

    /// <summary>True once <see cref="Complete"/> was called: every byte is in.</summary>
    public bool IsComplete => _stream.IsComplete;

    /// <summary>Hands bytes to the importer; waits while it is behind (bounded memory). Throws once the read side failed or was aborted.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (length is { } total && Received + data.Length > total)
        {
            var tooLong = new ImportException(ImportFailureReason.InvalidArgument, $"the upload sends more than the {total} bytes it announced");
            Abort(tooLong);
            throw tooLong;
        }
        return _stream.PushAsync(data, cancellationToken);
    }

    /// <summary>Every byte is in: the importer's read ends here.</summary>
    public void Complete() => _stream.Complete();

    /// <summary>Ends the upload as a failure: the importer's next read throws <paramref name="reason"/>, its writers stop.</summary>
    public void Abort(ImportException reason) => _stream.Abort(reason);

    public ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _opened, 1) != 0)
        {
            // A restart of the import cannot ask an uploader to send again: say so rather than read nothing.
            ImportException.Throw(ImportFailureReason.SourceNotResumable, "an upload can be read only once; upload again");
        }
        return ValueTask.FromResult(new SourceStream(_stream, length, LocalPath: null));
    }

    /// <summary>The session that pushes owns the stream; the importer's dispose must not end it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
