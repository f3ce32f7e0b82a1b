using System.Text.Json;
using Cdi.Importer.Core.Formats;

namespace Cdi.Importer.Core.Tests.TestSupport;

/// <summary>Makes and describes images with the real qemu-img/qemu-io, the reference the inspector must agree with.</summary>
public sealed class QemuImg
{
    private readonly TempDirectory _dir;

    public QemuImg(TempDirectory dir) => _dir = dir;

    public string Path(string name) => _dir.File(name);

    /// <summary><c>qemu-img create -f FORMAT [OPTIONS] NAME SIZE</c>; returns the image path.</summary>
    public string Create(string name, string format, string size, string options = "")
    {
        ProcessRunner.Sh($"qemu-img create -q -f {format} {options} {name} {size}", _dir.Path);
        return Path(name);
    }

    /// <summary>Writes a 0x5a pattern with qemu-io so the image holds allocated data, not just metadata.</summary>
    public void Write(string name, string format, string offset = "1M", string length = "64k") =>
        ProcessRunner.Sh($"qemu-io -f {format} -c \"write -P 0x5a {offset} {length}\" {name} >/dev/null", _dir.Path);

    public string Run(string arguments) => ProcessRunner.Sh(arguments, _dir.Path);

    /// <summary>Format and virtual size per <c>qemu-img info --output=json</c>.</summary>
    public (string Format, long VirtualSize) Info(string name, string? format = null)
    {
        string json = ProcessRunner.Sh($"qemu-img info --output=json {(format is null ? string.Empty : "-f " + format)} {name}", _dir.Path);
        using var doc = JsonDocument.Parse(json);
        return (doc.RootElement.GetProperty("format").GetString()!, doc.RootElement.GetProperty("virtual-size").GetInt64());
    }

    public static byte[] Head(string path) => Head(File.OpenRead(path), leaveOpen: false);

    public static byte[] Head(Stream stream, bool leaveOpen)
    {
        try
        {
            var head = new byte[HeaderDetector.HeadBytes];
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return head[..read];
        }
        finally
        {
            if (!leaveOpen)
            {
                stream.Dispose();
            }
        }
    }

    public static void Patch(string path, long offset, params byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(bytes);
    }

    public static byte[] ReadAt(string path, long offset, int length)
    {
        using var file = File.OpenRead(path);
        file.Position = offset;
        var buffer = new byte[length];
        file.ReadExactly(buffer);
        return buffer;
    }
}
