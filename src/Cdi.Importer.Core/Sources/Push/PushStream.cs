using System.Buffers;
using System.Threading.Channels;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Push;

/// <summary>
/// The read side of a <see cref="PushSource"/>: a bounded queue of pooled chunks (at most <see cref="Capacity"/> of
/// <see cref="ChunkSize"/> bytes in memory), read synchronously or asynchronously, ending at <see cref="Complete"/> or
/// throwing the reason given to <see cref="Abort"/>.
/// </summary>
internal sealed class PushStream : Stream
{
    private const int ChunkSize = 1 << 20;
    private const int Capacity = 8;

    private readonly Channel<Chunk> _chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private Chunk? _current;
    private int _offset;
    private long _written;
    private long _read;
    private volatile ImportException? _fault;
    private volatile bool _complete;

    private sealed record Chunk(byte[] Buffer, int Count);

    public long Written => Interlocked.Read(ref _written);

    public bool IsComplete => _complete;

    public async ValueTask PushAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            ThrowIfFaulted();
            var n = Math.Min(data.Length, ChunkSize);
            var buffer = ArrayPool<byte>.Shared.Rent(n);
            data.Span[..n].CopyTo(buffer);
            try
            {
                await _chunks.Writer.WriteAsync(new Chunk(buffer, n), cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException e)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                ThrowIfFaulted();
                throw new ImportException(ImportFailureReason.InvalidArgument, "the upload is already complete", e);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            Interlocked.Add(ref _written, n);
            data = data[n..];
        }
    }

    public void Complete()
    {
        _complete = true;
        _chunks.Writer.TryComplete();
    }

    public void Abort(ImportException reason)
    {
        _fault ??= reason;
        // Completing the queue also fails a writer waiting for room.
        _chunks.Writer.TryComplete();
    }

    private void ThrowIfFaulted()
    {
        if (_fault is { } fault)
        {
            throw new ImportException(fault.Reason, fault.Message, fault);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        if (!Next(CancellationToken.None, out var pending))
        {
            // The importer's copier reads on its own thread: blocking it while the uploader is behind is the point.
            if (!pending.AsTask().GetAwaiter().GetResult())
            {
                return 0;
            }
        }
        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        if (!Next(cancellationToken, out var pending) && !await pending.ConfigureAwait(false))
        {
            return 0;
        }
        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>True when a chunk is at hand; otherwise <paramref name="pending"/> says whether one came (false: the end).</summary>
    private bool Next(CancellationToken cancellationToken, out ValueTask<bool> pending)
    {
        pending = default;
        if (_current is not null)
        {
            return true;
        }
        ThrowIfFaulted();
        if (_chunks.Reader.TryRead(out var chunk))
        {
            _current = chunk;
            _offset = 0;
            return true;
        }
        pending = WaitAsync(cancellationToken);
        return false;
    }

    private async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await _chunks.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                more = false;
            }
            ThrowIfFaulted();
            if (!more)
            {
                return false;
            }
            if (_chunks.Reader.TryRead(out var chunk))
            {
                _current = chunk;
                _offset = 0;
                return true;
            }
        }
    }

    private int Take(Span<byte> destination)
    {
        var chunk = _current!;
        var n = Math.Min(destination.Length, chunk.Count - _offset);
        chunk.Buffer.AsSpan(_offset, n).CopyTo(destination);
        _offset += n;
        _read += n;
        if (_offset == chunk.Count)
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
            _current = null;
        }
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
