using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>A read-only window of a file (a blob inside an OCI archive tar), read with positional reads.</summary>
public sealed class FileSlice(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long length) : ReadOnlyForwardStream
{
    private long _position;

    public override int Read(Span<byte> buffer)
    {
        var n = RandomAccess.Read(file, buffer[..Clamp(buffer.Length)], offset + _position);
        _position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await RandomAccess.ReadAsync(file, buffer[..Clamp(buffer.Length)], offset + _position, cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    private int Clamp(int requested) => (int)Math.Min(requested, length - _position);
}
