using System.Runtime.CompilerServices;

namespace Cdi.Importer.Core.Targets;

/// <summary>
/// A pinned byte buffer whose first byte sits on a <see cref="DirectFile.Alignment"/> boundary, so data read into it can
/// go to a direct-I/O target without a bounce copy. Pinned arrays never move, so the alignment holds for its lifetime.
/// </summary>
public sealed class AlignedBuffer
{
    private readonly byte[] _array;
    private readonly int _offset;

    public AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _array = GC.AllocateUninitializedArray<byte>(length + DirectFile.Alignment, pinned: true);
        _offset = Misalignment(_array);
        Length = length;
    }

    public int Length { get; }

    public Span<byte> Span => _array.AsSpan(_offset, Length);

    public Memory<byte> Memory => _array.AsMemory(_offset, Length);

    private static unsafe int Misalignment(byte[] array)
    {
        var address = (nuint)Unsafe.AsPointer(ref array[0]);
        return (int)((DirectFile.Alignment - (address % DirectFile.Alignment)) % DirectFile.Alignment);
    }
}
