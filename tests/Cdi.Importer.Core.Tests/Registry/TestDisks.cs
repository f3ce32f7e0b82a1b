using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary>Small disks for container-disk images: a raw disk and its qcow2 conversion, made by qemu-img.</summary>
public sealed class TestDisks : IDisposable
{
    public const long Size = 4 << 20;
    private readonly TempDirectory _dir = new("cdi-registry-disks");

    public TestDisks()
    {
        RawPath = TestImages.CreateRaw(_dir.File("disk.raw"), Size, seed: 7);
        OtherRawPath = TestImages.CreateRaw(_dir.File("other.raw"), Size, seed: 8);
        Qcow2Path = TestImages.Convert(RawPath, _dir.File("disk.qcow2"), "qcow2");
    }

    public string RawPath { get; }

    public string OtherRawPath { get; }

    public string Qcow2Path { get; }

    public byte[] Raw => File.ReadAllBytes(RawPath);

    public byte[] OtherRaw => File.ReadAllBytes(OtherRawPath);

    public byte[] Qcow2 => File.ReadAllBytes(Qcow2Path);

    public void Dispose() => _dir.Dispose();
}
