using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>Raw test images held in memory for the fault server: random, text and zero runs, as <see cref="TestImages.CreateRaw"/> makes them.</summary>
public static class SourceData
{
    public const int Size = 6 << 20;

    public static byte[] Raw(int seed = 42)
    {
        using var dir = new TempDirectory();
        return File.ReadAllBytes(TestImages.CreateRaw(dir.File("source.raw"), Size, seed));
    }
}
