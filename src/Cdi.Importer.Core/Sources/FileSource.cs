using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources;

/// <summary>A local file, named by path or <c>file://</c> URL.</summary>
public sealed class FileSource(string path) : IImageSource
{
    public string Description => path;

    public ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = 0,
                Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImportException(ImportFailureReason.SourceNotFound, $"source file {path} does not exist", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ImportException(ImportFailureReason.SourceUnavailable, $"cannot read source file {path}: {e.Message}", e);
        }
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            stream.Dispose();
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"source {path} is a directory, not an image file");
        }
        // Only regular files can be handed to a converter in place; a FIFO is streamed like a download.
        var regular = stream.CanSeek;
        return ValueTask.FromResult(new SourceStream(stream, regular ? stream.Length : null, regular ? full : null));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
