using Cdi.Importer.Core.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Sources;

/// <summary>Positional reads of a local file.</summary>
public sealed class FileRangeReader : IRandomAccessReader
{
    private readonly SafeFileHandle _handle;
    private long _fetched;

    public FileRangeReader(string path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous | FileOptions.RandomAccess);
        Length = RandomAccess.GetLength(_handle);
    }

    public long Length { get; }

    public long BytesFetched => Interlocked.Read(ref _fetched);

    public async ValueTask ReadExactlyAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        IRandomAccessReader.CheckWithin(offset, buffer.Length, Length);
        while (buffer.Length > 0)
        {
            var n = await RandomAccess.ReadAsync(_handle, buffer, offset, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                ImportException.Throw(ImportFailureReason.SourceTruncated, $"file ended at {offset} while reading");
            }
            Interlocked.Add(ref _fetched, n);
            buffer = buffer[n..];
            offset += n;
        }
    }

    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }
}
