using System.Buffers.Binary;
using Cdi.Importer.Core.Compression.Lzma;
using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression;

/// <summary>
/// The xz container read front to back (streams, blocks, index, footer, stream padding) around our LZMA2 decoder,
/// for xz that is not decoded block by block: single-block files, sources without positional reads, checksummed
/// imports. Everything the container promises is verified: header CRCs, block sizes, checks, the index against the
/// blocks seen, the footer against the index. A stream whose first block needs more than LZMA2 (BCJ, delta), or that
/// liblzma could decode on several threads (more than one thread allowed and sizes in the block header, as threaded xz
/// writes them), is handed to <see cref="XzDecoder"/> from its first byte, with the rest of the file.
/// </summary>
internal sealed class XzStreamDecoder(DecoderLimits limits) : IStreamDecoder
{
    private const int StreamHeaderSize = 12;
    private const int BufferSize = 256 << 10;
    private static ReadOnlySpan<byte> Magic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly byte[] _flags = new byte[2];
    private int _start;
    private int _end;
    private State _state = State.StreamHeader;
    private bool _firstBlock = true;
    private bool _anyStream;

    private XzDecoder? _fallback;
    private byte[]? _replay;
    private int _replayed;

    private Lzma2Decoder? _lzma2;
    private XzCheck? _check;
    private int _checkType;
    private int _headerSize;
    private long _packed;
    private long _unpacked;
    private XzBlockSizes _listed;

    // Decoded bytes not yet handed out: a piece of the window, then possibly its start (it wraps).
    private int _pendingOffset;
    private int _pendingLength;
    private int _pendingWrapped;

    private RecordSummary _blocksSeen;
    private RecordSummary _indexListed;
    private long _indexSize;
    private uint _indexCrc;
    private ulong _vli;
    private int _vliShift;
    private ulong _recordUnpadded;

    private enum State
    {
        StreamHeader,
        BlockOrIndex,
        BlockData,
        BlockTrailer,
        IndexCount,
        IndexUnpadded,
        IndexUncompressed,
        IndexPadding,
        IndexCrc,
        Footer,
        StreamPadding,
    }

    public string Name => "xz";

    /// <summary>True once liblzma decodes the rest (see the class summary for when).</summary>
    public bool HandedToLiblzma => _fallback is not null;

    public bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputComplete, out int consumed, out int written)
    {
        if (_fallback is not null)
        {
            return DecodeByFallback(input, output, inputComplete, out consumed, out written);
        }
        consumed = 0;
        written = 0;
        while (true)
        {
            written += Emit(output[written..]);
            if (_pendingLength > 0)
            {
                return false;
            }
            // Keep the buffer topped up: every step below needs at most one chunk or header in one piece.
            if (_start > 0 && _end - _start < Lzma2Decoder.MaxChunkBytes)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            var take = Math.Min(input.Length - consumed, _buffer.Length - _end);
            input.Slice(consumed, take).CopyTo(_buffer.AsSpan(_end));
            _end += take;
            consumed += take;
            var complete = inputComplete && consumed == input.Length;

            if (!Step(complete))
            {
                if (take == 0 && _fallback is null && !complete && consumed < input.Length)
                {
                    throw new InvalidOperationException("the xz decoder stopped with input left and room to take it");
                }
                if (_fallback is not null)
                {
                    var ended = DecodeByFallback(input[consumed..], output[written..], inputComplete, out var c, out var w);
                    consumed += c;
                    written += w;
                    return ended;
                }
                if (_state == State.StreamPadding && complete && _end == _start)
                {
                    return true;
                }
                if (complete)
                {
                    throw new ImportException(ImportFailureReason.CorruptImage, "truncated xz stream");
                }
                if (consumed == input.Length)
                {
                    return false;
                }
            }
        }
    }

    public void Dispose()
    {
        _fallback?.Dispose();
        _lzma2?.Dispose();
        _check?.Dispose();
    }

    /// <summary>Takes one step of the container; false when it needs more input than is buffered (or handed over).</summary>
    private bool Step(bool complete)
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        switch (_state)
        {
            case State.StreamHeader:
                if (data.Length < StreamHeaderSize)
                {
                    return false;
                }
                ReadStreamHeader(data[..StreamHeaderSize]);
                _start += StreamHeaderSize;
                _state = State.BlockOrIndex;
                return true;

            case State.BlockOrIndex:
                if (data.IsEmpty)
                {
                    return false;
                }
                if (data[0] == 0)
                {
                    _indexCrc = XzCheck.Crc32(data[..1]);
                    _indexSize = 1;
                    _start++;
                    _state = State.IndexCount;
                    return true;
                }
                var headerSize = (data[0] + 1) * 4;
                if (data.Length < headerSize)
                {
                    return false;
                }
                return StartBlock(data[..headerSize]);

            case State.BlockData:
                var used = _lzma2!.DecodeChunk(data);
                if (used == 0)
                {
                    return false;
                }
                _start += used;
                _packed += used;
                TakeDecoded();
                if (_lzma2.Ended)
                {
                    _state = State.BlockTrailer;
                }
                return true;

            case State.BlockTrailer:
                var trailer = _check!.TrailerSize(_packed);
                if (data.Length < trailer)
                {
                    return false;
                }
                if (!_check.TrailerMatches(data[..trailer], _packed))
                {
                    LzmaError.Throw("a block fails its integrity check");
                }
                if (!_listed.Agree(_packed, _unpacked))
                {
                    LzmaError.Throw("a block header disagrees with its data");
                }
                _start += trailer;
                _blocksSeen.Add(_headerSize + _packed + _check.Size, _unpacked);
                _check.Dispose();
                _check = null;
                _state = State.BlockOrIndex;
                return true;

            case State.IndexCount:
            case State.IndexUnpadded:
            case State.IndexUncompressed:
                return StepIndexRecords(data);

            case State.IndexPadding:
                if (_indexSize % 4 != 0)
                {
                    if (data.IsEmpty)
                    {
                        return false;
                    }
                    if (data[0] != 0)
                    {
                        LzmaError.Throw("the index padding is not zero");
                    }
                    ConsumeIndex(data[..1]);
                    return true;
                }
                _state = State.IndexCrc;
                return true;

            case State.IndexCrc:
                if (data.Length < 4)
                {
                    return false;
                }
                if (BinaryPrimitives.ReadUInt32LittleEndian(data) != _indexCrc || _indexListed != _blocksSeen)
                {
                    LzmaError.Throw("the index does not match the blocks");
                }
                _start += 4;
                _indexSize += 4;
                _state = State.Footer;
                return true;

            case State.Footer:
                if (data.Length < StreamHeaderSize)
                {
                    return false;
                }
                var footer = data[..StreamHeaderSize];
                if (footer[10] != 'Y' || footer[11] != 'Z' || XzCheck.Crc32(footer[4..10]) != BinaryPrimitives.ReadUInt32LittleEndian(footer)
                    || !footer[8..10].SequenceEqual(_flags) || (BinaryPrimitives.ReadUInt32LittleEndian(footer[4..]) + 1L) * 4 != _indexSize)
                {
                    LzmaError.Throw("the stream footer does not match its header and index");
                }
                _start += StreamHeaderSize;
                _state = State.StreamPadding;
                return true;

            case State.StreamPadding:
                // Zero bytes in fours, then another stream or the end.
                if (data.Length < 4)
                {
                    if (complete && !data.IsEmpty)
                    {
                        LzmaError.Throw("trailing bytes after the last stream");
                    }
                    return false;
                }
                if (BinaryPrimitives.ReadUInt32LittleEndian(data) == 0)
                {
                    _start += 4;
                    return true;
                }
                _state = State.StreamHeader;
                return true;

            default:
                throw new InvalidOperationException($"unknown xz decoder state {_state}");
        }
    }

    private void ReadStreamHeader(ReadOnlySpan<byte> header)
    {
        if (!header[..6].SequenceEqual(Magic))
        {
            LzmaError.Throw(_anyStream ? "trailing bytes after the last stream" : "not in the xz format");
        }
        if (XzCheck.Crc32(header[6..8]) != BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) || header[6] != 0 || (header[7] & 0xF0) != 0)
        {
            LzmaError.Throw("invalid stream header");
        }
        header[6..8].CopyTo(_flags);
        _anyStream = true;
        _firstBlock = true;
        _checkType = header[7];
        _blocksSeen = default;
        _indexListed = default;
    }

    private bool StartBlock(ReadOnlySpan<byte> header)
    {
        var ours = XzBlockHeader.TryParseLzma2Only(header, out var dictionary, out var listed);
        var check = ours ? XzCheck.ForType(_checkType) : null;
        // Threaded xz writes sizes into every block header; its files have many blocks, which liblzma decodes on
        // several threads at once where we would use one.
        if (check is null || (limits.Threads > 1 && listed.Packed is not null))
        {
            check?.Dispose();
            if (!_firstBlock)
            {
                throw new ImportException(ImportFailureReason.UnsupportedFormat,
                    "xz stream changes its filters after its first block; recompress it with one filter chain");
            }
            HandOver(header);
            return false;
        }
        if (dictionary > (ulong)limits.MemoryLimitBytes)
        {
            check.Dispose();
            throw new ImportException(ImportFailureReason.DecoderLimit,
                $"xz stream needs {ByteSizeText.Format(dictionary)} of memory, above the {ByteSizeText.Format((ulong)limits.MemoryLimitBytes)} limit");
        }
        _firstBlock = false;
        if (_lzma2 is null || !_lzma2.TryRestart(dictionary))
        {
            _lzma2?.Dispose();
            _lzma2 = null;
            _lzma2 = new Lzma2Decoder(dictionary);
        }
        _check = check;
        _headerSize = header.Length;
        _listed = listed;
        _packed = 0;
        _unpacked = 0;
        _start += header.Length;
        _state = State.BlockData;
        return true;
    }

    /// <summary>liblzma takes over from the first byte: the stream header and block header again, then what is buffered.</summary>
    private void HandOver(ReadOnlySpan<byte> blockHeader)
    {
        var flags = _flags;
        var streamHeader = new byte[StreamHeaderSize];
        Magic.CopyTo(streamHeader);
        flags.CopyTo(streamHeader.AsSpan(6));
        BinaryPrimitives.WriteUInt32LittleEndian(streamHeader.AsSpan(8), XzCheck.Crc32(flags));
        _replay = [.. streamHeader, .. blockHeader, .. _buffer.AsSpan(_start + blockHeader.Length, _end - _start - blockHeader.Length)];
        _start = _end = 0;
        _fallback = new XzDecoder(limits);
    }

    private bool DecodeByFallback(ReadOnlySpan<byte> input, Span<byte> output, bool inputComplete, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        while (_replay is not null)
        {
            var left = _replay.AsSpan(_replayed);
            var ended = _fallback!.Decode(left, output[written..], inputComplete && input.IsEmpty, out var c, out var w);
            _replayed += c;
            written += w;
            if (_replayed == _replay.Length)
            {
                _replay = null;
            }
            else if (ended || (c == 0 && w == 0) || written == output.Length)
            {
                return ended;
            }
        }
        var done = _fallback!.Decode(input, output[written..], inputComplete, out consumed, out var more);
        written += more;
        return done;
    }

    private bool StepIndexRecords(ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i < data.Length; i++)
        {
            var b = data[i];
            if (_vliShift >= 63 || (b == 0 && _vliShift > 0))
            {
                LzmaError.Throw("invalid number in the index");
            }
            _vli |= (ulong)(b & 0x7F) << _vliShift;
            _vliShift += 7;
            if ((b & 0x80) != 0)
            {
                continue;
            }
            var value = _vli;
            _vli = 0;
            _vliShift = 0;
            if (_state == State.IndexCount)
            {
                if (value != (ulong)_blocksSeen.Count)
                {
                    LzmaError.Throw("the index does not match the blocks");
                }
                // From here the index lists exactly as many records as blocks were seen.
                _state = value == 0 ? State.IndexPadding : State.IndexUnpadded;
            }
            else if (_state == State.IndexUnpadded)
            {
                _recordUnpadded = value;
                _state = State.IndexUncompressed;
            }
            else
            {
                _indexListed.Add((long)Math.Min(_recordUnpadded, long.MaxValue), (long)Math.Min(value, long.MaxValue));
                _state = _indexListed.Count == _blocksSeen.Count ? State.IndexPadding : State.IndexUnpadded;
            }
            if (_state == State.IndexPadding)
            {
                i++;
                break;
            }
        }
        ConsumeIndex(data[..i]);
        return i > 0;
    }

    private void ConsumeIndex(ReadOnlySpan<byte> bytes)
    {
        _indexCrc = XzCheck.Crc32(bytes, _indexCrc);
        _indexSize += bytes.Length;
        _start += bytes.Length;
    }

    private void TakeDecoded()
    {
        _lzma2!.Window.Take(out var first, out var second);
        _check!.Append(first);
        _check.Append(second);
        _unpacked += first.Length + second.Length;
        if (_listed.Unpacked is { } listed && _unpacked > listed)
        {
            LzmaError.Throw("a block decodes to more than its header lists");
        }
        _pendingOffset = _lzma2.Window.Position - first.Length - second.Length;
        if (_pendingOffset < 0)
        {
            _pendingOffset += _lzma2.Window.Buffer.Length;
        }
        _pendingLength = first.Length;
        _pendingWrapped = second.Length;
    }

    /// <summary>Copies decoded bytes not yet handed out into <paramref name="output"/>.</summary>
    private int Emit(Span<byte> output)
    {
        var written = 0;
        while (_pendingLength > 0 && written < output.Length)
        {
            var n = Math.Min(_pendingLength, output.Length - written);
            _lzma2!.Window.Buffer.Slice(_pendingOffset, n).CopyTo(output[written..]);
            written += n;
            _pendingOffset += n;
            _pendingLength -= n;
            if (_pendingLength == 0 && _pendingWrapped > 0)
            {
                _pendingOffset = 0;
                _pendingLength = _pendingWrapped;
                _pendingWrapped = 0;
            }
        }
        return written;
    }

    /// <summary>What the index must agree with: how many blocks, their sizes, and a CRC over the sizes in order.</summary>
    private record struct RecordSummary(long Count, long Unpadded, long Uncompressed, uint Crc)
    {
        public void Add(long unpadded, long uncompressed)
        {
            Span<long> pair = [unpadded, uncompressed];
            Count++;
            Unpadded += unpadded;
            Uncompressed += uncompressed;
            Crc = XzCheck.Crc32(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pair), Crc);
        }
    }
}
