using Cdi.Cli.Tests.DataVolumes;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// Small source images (16 MiB: 12 MiB of seeded random data, then zeros, then a marked last sector) as raw, qcow2 and
/// raw.gz, served by nginx; most through its 2 MiB/s port, so each import lasts a few seconds and can be interrupted.
/// </summary>
internal sealed class CrashImages : IDisposable
{
    public const long DiskSize = 16L << 20;
    private readonly TempDirectory _dir = new("cdi-crash-images");

    public CrashImages(int seed)
    {
        var raw = _dir.File("disk.raw");
        using (var handle = File.OpenHandle(raw, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.SetLength(handle, DiskSize);
            var data = new byte[12 << 20];
            new Random(seed).NextBytes(data);
            RandomAccess.Write(handle, data, 0);
            RandomAccess.Write(handle, Enumerable.Repeat((byte)0xEE, 512).ToArray(), DiskSize - 512);
        }
        TestImages.Convert(raw, _dir.File("disk.qcow2"), "qcow2");
        ProcessRunner.Sh($"gzip -1 -c '{raw}' > '{_dir.File("disk.raw.gz")}'");
        Server = new NginxServer(_dir.Path);
    }

    public NginxServer Server { get; }

    /// <summary>The DataVolume manifest for import number <paramref name="i"/>: formats and servers vary with it.</summary>
    public string Manifest(string name, int i) => i switch
    {
        // A server without Range support: a qcow2 then cannot be read in place (the scratch-space path, when it applies).
        9 => DataVolumeManifests.Http(name, Server.PlainUrl("disk.qcow2")),
        _ when i % 3 == 0 => DataVolumeManifests.Http(name, Server.SlowUrl("disk.qcow2")),
        _ when i % 3 == 1 => DataVolumeManifests.Http(name, Server.SlowUrl("disk.raw.gz")),
        _ => DataVolumeManifests.Http(name, Server.SlowUrl("disk.raw")),
    };

    /// <summary>Null when <paramref name="disk"/> holds import <paramref name="i"/>'s bytes (then zeros), else what qemu-img compare said.</summary>
    public string? Compare(string disk, int i)
    {
        var (reference, format) = i == 9 || i % 3 == 0 ? (_dir.File("disk.qcow2"), "qcow2") : (_dir.File("disk.raw"), "raw");
        if (!File.Exists(disk))
        {
            return $"{disk} does not exist";
        }
        // Not strict (-s): the volume is larger than the image, and the rest must read as zeros.
        var r = ProcessRunner.Run("qemu-img", ["compare", "-f", "raw", "-F", format, disk, reference]);
        return r.ExitCode == 0 ? null : $"qemu-img compare {disk} {reference}: exit {r.ExitCode}: {r.Stdout.Trim()} {r.Stderr.Trim()}";
    }

    public void Dispose()
    {
        Server.Dispose();
        _dir.Dispose();
    }
}
