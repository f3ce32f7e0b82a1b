namespace Cdi.Importer.Core.Compression;

/// <summary>The sizes a block header may list for its packed data and its output; what it lists must hold.</summary>
internal readonly record struct XzBlockSizes(long? Packed, long? Unpacked)
{
    public bool Agree(long packed, long unpacked) => (Packed is null || Packed == packed) && (Unpacked is null || Unpacked == unpacked);
}
