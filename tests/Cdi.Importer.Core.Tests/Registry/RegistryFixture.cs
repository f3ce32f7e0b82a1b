using System.Formats.Tar;
using Cdi.Testing;
using Cdi.Testing.Registry;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary>One real docker-registry (plain HTTP) with the container-disk images the tests pull, pushed by skopeo.</summary>
public sealed class RegistryFixture : IDisposable
{
    private readonly TempDirectory _layouts = new("cdi-oci-layouts");

    public RegistryFixture()
    {
        Disks = new TestDisks();
        Server = new RegistryServer();
        var layout = new OciLayoutBuilder(_layouts.Sub("images"));
        layout.Tag("cirros", layout.ContainerDisk("cirros.qcow2", Disks.Qcow2, LayerCompression.Gzip));
        layout.Tag("raw", layout.ContainerDisk("disk.img", Disks.Raw, LayerCompression.Zstd));
        layout.Tag("plain", layout.ContainerDisk("disk.img", Disks.Raw, LayerCompression.None));
        var tampered = layout.ContainerDisk("tampered.img", Disks.OtherRaw[..(1 << 20)], LayerCompression.None);
        layout.Tag("multi", layout.Index(
            layout.ContainerDisk("arm.img", Disks.OtherRaw, LayerCompression.Gzip, "arm64"),
            layout.ContainerDisk("amd.img", Disks.Raw, LayerCompression.Gzip, "amd64")));
        layout.Tag("nodisk", layout.Image([OciLayoutBuilder.LayerOf([LayerEntry.Directory("etc/"), LayerEntry.File("etc/motd", "hello"u8.ToArray())], LayerCompression.Gzip)]));
        layout.Tag("twodisks", layout.Image([OciLayoutBuilder.LayerOf([LayerEntry.File("disk/a.img", Disks.Raw), LayerEntry.File("disk/b.img", Disks.OtherRaw)], LayerCompression.Gzip)]));
        layout.Tag("symlink", layout.Image([OciLayoutBuilder.LayerOf([LayerEntry.File("data/x.img", Disks.Raw), LayerEntry.Symlink("disk/x.img", "../data/x.img")], LayerCompression.Gzip)]));
        layout.Tag("layered", layout.Image([
            OciLayoutBuilder.LayerOf([LayerEntry.File("disk/old.img", Disks.OtherRaw), LayerEntry.File("disk/gone/also-old.img", Disks.OtherRaw)], LayerCompression.Gzip),
            OciLayoutBuilder.LayerOf([LayerEntry.File("disk/.wh.old.img", []), LayerEntry.File("disk/.wh.gone", []), LayerEntry.File("disk/new.img", Disks.Raw)], LayerCompression.Gzip),
        ]));
        layout.Tag("shadowed", layout.Image([
            OciLayoutBuilder.LayerOf([LayerEntry.File("disk/disk.img", Disks.OtherRaw)], LayerCompression.Gzip),
            OciLayoutBuilder.LayerOf([LayerEntry.File("disk/disk.img", Disks.Raw)], LayerCompression.Zstd),
        ]));
        layout.Tag("tampered", tampered);
        using (var gz = new MemoryStream())
        {
            using (var z = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(Disks.Raw);
            }
            layout.Tag("gzdisk", layout.ContainerDisk("disk.img.gz", gz.ToArray(), LayerCompression.None));
        }
        foreach (var tag in new[] { "cirros", "raw", "plain", "nodisk", "twodisks", "symlink", "layered", "shadowed", "tampered", "gzdisk" })
        {
            Skopeo.Push(layout.Root, tag, $"docker://{Server.Host}/disks/{tag}:v1");
        }
        Skopeo.Push(layout.Root, "multi", $"docker://{Server.Host}/disks/multi:v1", all: true);
        Layout = layout;
    }

    public TestDisks Disks { get; }

    public RegistryServer Server { get; }

    public OciLayoutBuilder Layout { get; }

    public string Image(string tag) => $"docker://{Server.Host}/disks/{tag}:v1";

    public void Dispose()
    {
        Server.Dispose();
        Disks.Dispose();
        _layouts.Dispose();
    }
}
