using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster.Tests.FileSafety;

/// <summary>
/// The one type every path built from an object's fields goes through: hostile names are refused with a message that
/// names the field, and links planted below the folder are never followed out of it.
/// </summary>
public sealed class ContainedPathTests : IDisposable
{
    // A sandbox with the trusted folder inside, so "outside" is a place we can look at.
    private readonly string _sandbox = Directory.CreateTempSubdirectory("contained-").FullName;

    private string Cluster => Path.Combine(_sandbox, "cluster");
    private string Outside => Path.Combine(_sandbox, "outside");

    public ContainedPathTests()
    {
        Directory.CreateDirectory(Cluster);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "keep"), "precious");
    }

    [Theory]
    [InlineData("..", "\"..\"")]
    [InlineData(".", "\".\"")]
    [InlineData("", "empty")]
    [InlineData("../../x", "'/'")]
    [InlineData("/etc", "'/'")]
    [InlineData("a/b", "'/'")]
    [InlineData("a\0b", "NUL")]
    public void A_name_that_is_not_a_plain_file_name_is_refused_naming_the_field(string name, string reason)
    {
        var act = () => ContainedPath.Under(Cluster).Child(name, "pod name");
        act.Should().Throw<UnsafePathException>().WithMessage($"pod name \"*\" cannot be used as a file name: it *{reason}*");
    }

    [Fact]
    public void A_name_longer_than_a_file_name_may_be_is_refused_with_its_suffix_counted()
    {
        var name = new string('a', 252);
        ContainedPath.Under(Cluster).Child(name, "container name").FullPath.Should().EndWith(name);
        var act = () => ContainedPath.Under(Cluster).Child(name, "container name", ".log");
        act.Should().Throw<UnsafePathException>().WithMessage("*longer than 255 bytes*");
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("./a")]
    [InlineData("a/")]
    [InlineData("")]
    public void A_relative_path_with_a_dot_dot_an_empty_segment_or_a_leading_slash_is_refused(string relative)
    {
        var act = () => ContainedPath.Under(Cluster).Descend(relative, "items[].path");
        act.Should().Throw<UnsafePathException>().WithMessage("items[].path \"*\" cannot be used as a file name*");
    }

    [Fact]
    public void A_relative_path_of_plain_names_lands_inside()
    {
        ContainedPath.Under(Cluster).Child("v", "volume name").Descend("tls/ca.crt", "items[].path").FullPath
            .Should().Be(Path.Combine(Cluster, "v", "tls", "ca.crt"));
    }

    [Fact]
    public void An_absolute_path_is_located_only_inside_the_folder()
    {
        var root = ContainedPath.Under(Cluster);
        root.Locate(Path.Combine(Cluster, "volumes", "pv"), "hostPath").FullPath.Should().Be(Path.Combine(Cluster, "volumes", "pv"));
        foreach (var outside in new[] { "/etc", Outside, Cluster + "-sibling", Path.Combine(Cluster, "..", "outside"), "relative" })
        {
            var act = () => root.Locate(outside, "hostPath");
            act.Should().Throw<UnsafePathException>(outside).WithMessage("hostPath \"*");
        }
    }

    [Fact]
    public void Files_and_folders_are_created_with_their_mode_from_the_start()
    {
        var dir = ContainedPath.Under(Cluster).Child("a", "x").Child("b", "y").CreateDirectory(OwnerOnly.Directory);
        using (var file = dir.Child("secret", "key").CreateFile(OwnerOnly.File))
        {
            file.Write("s"u8);
        }
        File.GetUnixFileMode(Path.Combine(Cluster, "a")).Should().Be(OwnerOnly.Directory);
        File.GetUnixFileMode(dir.FullPath).Should().Be(OwnerOnly.Directory);
        File.GetUnixFileMode(Path.Combine(dir.FullPath, "secret")).Should().Be(OwnerOnly.File);
    }

    [Fact]
    public void A_link_planted_on_the_way_is_refused_and_nothing_is_written_outside()
    {
        Directory.CreateDirectory(Path.Combine(Cluster, "pods"));
        Directory.CreateSymbolicLink(Path.Combine(Cluster, "pods", "ns"), Outside);
        var pod = ContainedPath.Under(Cluster).Child("pods", "folder").Child("ns", "namespace").Child("p", "pod name");

        var create = () => pod.CreateDirectory(OwnerOnly.Directory);
        create.Should().Throw<UnsafePathException>().WithMessage($"*{Path.Combine(Cluster, "pods", "ns")} is a symbolic link*");
        var write = () => pod.Child("main", "container name", ".log").OpenAppend(OwnerOnly.File);
        write.Should().Throw<UnsafePathException>();
        var replace = () => pod.Child("main", "container name", ".termination-log").CreateFile(OwnerOnly.File);
        replace.Should().Throw<UnsafePathException>();
        var delete = () => pod.Delete();
        delete.Should().Throw<UnsafePathException>();

        Directory.EnumerateFileSystemEntries(Outside).Select(Path.GetFileName).Should().Equal("keep");
    }

    [Fact]
    public void A_link_in_place_of_a_file_is_refused_for_reading_and_appending_and_replaced_when_creating()
    {
        var link = Path.Combine(Cluster, "main.log");
        File.CreateSymbolicLink(link, Path.Combine(Outside, "keep"));
        var log = ContainedPath.Under(Cluster).Child("main", "container name", ".log");

        var read = () => log.OpenRead();
        read.Should().Throw<UnsafePathException>().WithMessage("*main.log is a symbolic link*");
        var append = () => log.OpenAppend(OwnerOnly.File);
        append.Should().Throw<UnsafePathException>();

        using (var file = log.CreateFile(OwnerOnly.File))
        {
            file.Write("fresh"u8);
        }
        new FileInfo(link).LinkTarget.Should().BeNull("the link itself was replaced by a new file");
        File.ReadAllText(link).Should().Be("fresh");
        File.ReadAllText(Path.Combine(Outside, "keep")).Should().Be("precious");
    }

    [Fact]
    public void Deleting_a_folder_removes_links_inside_it_without_following_them()
    {
        var pod = ContainedPath.Under(Cluster).Child("p", "pod name").CreateDirectory(OwnerOnly.Directory);
        Directory.CreateSymbolicLink(Path.Combine(pod.FullPath, "escape"), Outside);
        File.CreateSymbolicLink(Path.Combine(pod.FullPath, "file"), Path.Combine(Outside, "keep"));
        pod.Delete();
        Directory.Exists(pod.FullPath).Should().BeFalse();
        File.ReadAllText(Path.Combine(Outside, "keep")).Should().Be("precious");

        var link = ContainedPath.Under(Cluster).Child("q", "pod name");
        Directory.CreateSymbolicLink(link.FullPath, Outside);
        link.Delete();
        link.Exists.Should().BeFalse();
        File.ReadAllText(Path.Combine(Outside, "keep")).Should().Be("precious");
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);
}
