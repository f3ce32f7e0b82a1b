namespace Cdi.Importer.Core.Compression;

/// <summary>Caps on decoder memory, so a crafted stream cannot make the importer allocate without bound.</summary>
/// <param name="MemoryLimitBytes">xz memlimit (per decoder, all threads together).</param>
/// <param name="ZstdWindowLogMax">Largest zstd window accepted, as a power of two (27 = 128 MiB, zstd's own default).</param>
/// <param name="Threads">Decoder threads where the format allows parallel decoding (multi-block xz).</param>
public sealed record DecoderLimits(long MemoryLimitBytes, int ZstdWindowLogMax, int Threads)
{
    public static DecoderLimits Default { get; } = new(256L * 1024 * 1024, 27, Math.Max(1, Environment.ProcessorCount));
}
