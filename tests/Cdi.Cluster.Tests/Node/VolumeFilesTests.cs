using Cdi.Cluster.FileSafety;
using Cdi.Cluster.Provisioner;

namespace Cdi.Cluster.Tests.Node;

/// <summary>The provisioner's files, fed PV names and host paths directly.</summary>
public sealed class VolumeFilesTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("volume-files-").FullName;

    private string Cluster => Path.Combine(_sandbox, "cluster");

    [Fact]
    public void Hostile_volume_names_are_refused_and_nothing_is_created()
    {
        Directory.CreateDirectory(Cluster);
        var files = new VolumeFiles(Cluster);
        foreach (var name in (string[])["../../escape", "../escape", "/tmp/escape", "a/b", "..", ".", "", "a\0b"])
        {
            foreach (var block in (bool[])[false, true])
            {
                var act = () => files.Create(name, block, 1 << 20);
                act.Should().Throw<UnsafePathException>(name).WithMessage("persistentvolume name \"*");
            }
        }
        Directory.EnumerateFileSystemEntries(_sandbox, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(_sandbox, p))
            .Should().BeEquivalentTo(["cluster"]);
    }

    [Fact]
    public void Volumes_are_made_inside_and_only_paths_directly_inside_are_deleted()
    {
        Directory.CreateDirectory(Cluster);
        var outside = Directory.CreateDirectory(Path.Combine(_sandbox, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "keep"), "precious");
        var files = new VolumeFiles(Cluster);
        var fs = files.Create("pvc-1", block: false, 0);
        var img = files.Create("pvc-2", block: true, 1 << 20);
        fs.Should().Be(Path.Combine(Cluster, "volumes", "pvc-1"));
        new FileInfo(img).Length.Should().Be(1 << 20);

        foreach (var path in (string[])[outside, Path.Combine(outside, "keep"), Path.Combine(Cluster, "volumes", "..", "outside"), files.Root, "/etc/hostname"])
            files.Delete(path);
        File.ReadAllText(Path.Combine(outside, "keep")).Should().Be("precious");
        Directory.Exists(files.Root).Should().BeTrue();

        // A link where a volume was: removed itself, its target untouched.
        Directory.Delete(fs);
        Directory.CreateSymbolicLink(fs, outside);
        files.Delete(fs);
        Path.Exists(fs).Should().BeFalse();
        File.ReadAllText(Path.Combine(outside, "keep")).Should().Be("precious");

        files.Delete(img);
        File.Exists(img).Should().BeFalse();
    }

    [Fact]
    public void A_link_planted_where_a_volume_goes_is_refused()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_sandbox, "outside")).FullName;
        Directory.CreateDirectory(Path.Combine(Cluster, "volumes"));
        Directory.CreateSymbolicLink(Path.Combine(Cluster, "volumes", "pvc-1"), outside);
        File.CreateSymbolicLink(Path.Combine(Cluster, "volumes", "pvc-2.img"), Path.Combine(outside, "disk"));
        var files = new VolumeFiles(Cluster);
        var directory = () => files.Create("pvc-1", block: false, 0);
        directory.Should().Throw<UnsafePathException>().WithMessage("*is a symbolic link*");
        var image = () => files.Create("pvc-2", block: true, 1 << 20);
        image.Should().Throw<UnsafePathException>().WithMessage("*is a symbolic link*");
        Directory.EnumerateFileSystemEntries(outside).Should().BeEmpty();
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);
}
