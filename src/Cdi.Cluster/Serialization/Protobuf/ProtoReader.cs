using System.Buffers.Binary;
using System.Text;

namespace Cdi.Cluster.Serialization.Protobuf;

/// <summary>The protobuf wire format: varints, length-delimited fields, fixed 32/64-bit values.</summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new FormatException("truncated varint");
            }
            var b = _data[_position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new FormatException("varint too long");
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = (int)ReadVarint();
        if (length < 0 || _position + length > _data.Length)
        {
            throw new FormatException("truncated length-delimited field");
        }
        var slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                _position += 8;
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                _position += 4;
                break;
            default:
                throw new FormatException($"unsupported wire type {wireType}");
        }
    }

    public long ReadFixed64() => BinaryPrimitives.ReadInt64LittleEndian(_data.Slice((_position += 8) - 8, 8));
}
