using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Tests.TestSupport;

namespace Cdi.Importer.Core.Tests.Formats;

/// <summary>One small valid image per format, made once by qemu-img and held in memory.</summary>
public sealed class SeedImages : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SeedImages()
    {
        var qemu = new QemuImg(_dir);
        foreach (var (format, qemuFormat, options) in new[]
        {
            (ImageFormat.Qcow2, "qcow2", string.Empty),
            (ImageFormat.Vmdk, "vmdk", string.Empty),
            (ImageFormat.Vhd, "vpc", string.Empty),
            (ImageFormat.Vhdx, "vhdx", "-o log_size=1M"),
            (ImageFormat.Vdi, "vdi", string.Empty),
        })
        {
            string path = qemu.Create(qemuFormat, qemuFormat, "4M", options);
            qemu.Write(qemuFormat, qemuFormat);
            Images[format] = File.ReadAllBytes(path);
        }
    }

    public Dictionary<ImageFormat, byte[]> Images { get; } = [];

    public void Dispose() => _dir.Dispose();
}
