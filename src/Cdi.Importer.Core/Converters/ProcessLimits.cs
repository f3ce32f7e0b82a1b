namespace Cdi.Importer.Core.Converters;

/// <summary>Resource limits a helper process runs under (applied with prlimit(1)), as OpenStack and CDI do for qemu-img.</summary>
public sealed record ProcessLimits(long AddressSpaceBytes, int CpuSeconds)
{
    /// <summary>Nova's limits for <c>qemu-img info</c>: a crafted header must not make it allocate or spin.</summary>
    public static ProcessLimits Info { get; } = new(1L << 30, 30);

    /// <summary>Conversion gets more address space (its caches) and CPU time that grows with the image.</summary>
    public static ProcessLimits ForConvert(long virtualSize) =>
        new(2L << 30, 120 + (int)Math.Min(int.MaxValue / 2, virtualSize / (64L << 20)));
}
