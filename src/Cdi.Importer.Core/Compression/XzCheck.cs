using System.Buffers.Binary;
using System.Security.Cryptography;
using Cdi.Importer.Core.Native;

namespace Cdi.Importer.Core.Compression;

/// <summary>
/// The integrity check an xz stream stores after each block: CRC32 and CRC64 through liblzma (which uses carry-less
/// multiplication where the CPU has it), SHA-256 through the runtime.
/// </summary>
internal sealed unsafe class XzCheck : IDisposable
{
    private readonly int _type;
    private readonly IncrementalHash? _sha256;
    private uint _crc32;
    private ulong _crc64;

    private XzCheck(int type, int size)
    {
        _type = type;
        Size = size;
        _sha256 = type == 10 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    /// <summary>Bytes the check takes after the block.</summary>
    public int Size { get; }

    /// <summary>The check named by the stream header's flags, or null for a type this decoder does not verify.</summary>
    public static XzCheck? ForStream(ReadOnlySpan<byte> streamHeader)
    {
        // The second flag byte holds the type in its low half; anything in the reserved bits is not ours to guess at.
        if (streamHeader.Length < 8 || streamHeader[6] != 0)
        {
            return null;
        }
        return ForType(streamHeader[7]);
    }

    /// <summary>The check with this type number, or null for one this decoder does not verify.</summary>
    public static XzCheck? ForType(int type)
    {
        return type switch
        {
            0 => new XzCheck(0, 0),
            1 => new XzCheck(1, 4),
            4 => new XzCheck(4, 8),
            10 => new XzCheck(10, 32),
            _ => null,
        };
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }
        switch (_type)
        {
            case 1:
                fixed (byte* p = data)
                {
                    _crc32 = LibLzma.Crc32(p, (nuint)data.Length, _crc32);
                }
                break;
            case 4:
                fixed (byte* p = data)
                {
                    _crc64 = LibLzma.Crc64(p, (nuint)data.Length, _crc64);
                }
                break;
            case 10:
                _sha256!.AppendData(data);
                break;
        }
    }

    /// <summary>Bytes after a block's packed data: zero padding to a multiple of four, then the check.</summary>
    public int TrailerSize(long packed) => Padding(packed) + Size;

    /// <summary>Whether the <see cref="TrailerSize"/> bytes after <paramref name="packed"/> bytes of data are zero padding and this check.</summary>
    public bool TrailerMatches(ReadOnlySpan<byte> trailer, long packed)
    {
        var padding = Padding(packed);
        return trailer.Length == padding + Size && !trailer[..padding].ContainsAnyExcept((byte)0) && Matches(trailer[padding..]);
    }

    /// <summary>CRC32 as xz uses it for headers, indexes and footers.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0)
    {
        fixed (byte* p = data)
        {
            return LibLzma.Crc32(p, (nuint)data.Length, crc);
        }
    }

    private static int Padding(long packed) => (int)((4 - (packed % 4)) % 4);

    private bool Matches(ReadOnlySpan<byte> stored)
    {
        if (stored.Length != Size)
        {
            return false;
        }
        switch (_type)
        {
            case 1:
                return BinaryPrimitives.ReadUInt32LittleEndian(stored) == _crc32;
            case 4:
                return BinaryPrimitives.ReadUInt64LittleEndian(stored) == _crc64;
            case 10:
                Span<byte> hash = stackalloc byte[32];
                _sha256!.GetHashAndReset(hash);
                return hash.SequenceEqual(stored);
            default:
                return true;
        }
    }

    public void Dispose() => _sha256?.Dispose();
}
