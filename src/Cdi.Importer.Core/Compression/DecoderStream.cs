using System.Buffers;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression;

/// <summary>
/// Read-only, forward-only stream that feeds an <see cref="IStreamDecoder"/> from the compressed stream through one pooled
/// input buffer and decodes straight into the caller's buffer, so nothing is allocated per block.
/// </summary>
internal sealed class DecoderStream : Stream
{
    // Large enough that native decoders (and liblzma's worker threads) see whole blocks at a time.
    private const int InputBufferSize = 1 << 20;

    private readonly Stream _inner;
    private readonly IStreamDecoder _decoder;
    private byte[]? _input;
    private int _start;
    private int _end;
    private bool _innerEnded;
    private bool _needMoreInput;
    private bool _finished;

    public DecoderStream(Stream inner, IStreamDecoder decoder)
    {
        _inner = inner;
        _decoder = decoder;
        _input = ArrayPool<byte>.Shared.Rent(InputBufferSize);
    }

    public override bool CanRead => _input is not null;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        var input = Input();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (NeedsInput)
            {
                Compact(input);
                Filled(_inner.Read(input, _end, input.Length - _end));
            }

            if (TryDecode(input, buffer, out int written))
            {
                return written;
            }
        }
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var input = Input();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (NeedsInput)
            {
                Compact(input);
                Filled(await _inner.ReadAsync(input.AsMemory(_end), cancellationToken).ConfigureAwait(false));
            }

            if (TryDecode(input, buffer.Span, out int written))
            {
                return written;
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _input is not null)
        {
            _decoder.Dispose();
            ArrayPool<byte>.Shared.Return(_input);
            _input = null;
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool NeedsInput => !_innerEnded && (_start == _end || _needMoreInput);

    private byte[] Input()
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        return _input;
    }

    private void Compact(byte[] input)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(input, _start, input, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == input.Length)
        {
            // A full megabyte the decoder cannot make progress on is not a stream we can decode.
            throw new ImportException(ImportFailureReason.CorruptImage, $"{_decoder.Name} data is corrupt: decoder made no progress");
        }
    }

    private void Filled(int read)
    {
        _needMoreInput = false;
        if (read <= 0)
        {
            _innerEnded = true;
        }
        else
        {
            _end += read;
        }
    }

    /// <summary>One decode step. True when the read can return (output produced or end of data); false to fetch more input.</summary>
    private bool TryDecode(byte[] input, Span<byte> output, out int written)
    {
        written = 0;
        if (_finished || output.IsEmpty)
        {
            return true;
        }

        bool done = _decoder.Decode(input.AsSpan(_start, _end - _start), output, _innerEnded, out int consumed, out written);
        _start += consumed;
        if (done)
        {
            _finished = true;
            return true;
        }

        if (written > 0)
        {
            return true;
        }

        if (consumed == 0)
        {
            if (_innerEnded)
            {
                // The decoders report truncation themselves; this guards against a decoder that would otherwise spin.
                throw new ImportException(ImportFailureReason.CorruptImage, $"truncated {_decoder.Name} stream");
            }

            _needMoreInput = true;
        }

        return false;
    }
}
