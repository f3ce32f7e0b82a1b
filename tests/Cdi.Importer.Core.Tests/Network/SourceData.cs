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

    /// <summary>A qcow2 of <paramref name="raw"/> made by qemu-img in <paramref name="dir"/>, and qemu-img's raw conversion of it (the expected output).</summary>
    public static (byte[] Bytes, string Reference) Qcow2(byte[] raw, TempDirectory dir)
    {
        File.WriteAllBytes(dir.File("source.raw"), raw);
        var qcow2 = TestImages.Convert(dir.File("source.raw"), dir.File("source.qcow2"), "qcow2");
        return (File.ReadAllBytes(qcow2), TestImages.Reference(qcow2, "qcow2", dir.File("reference.raw")));
    }
}
