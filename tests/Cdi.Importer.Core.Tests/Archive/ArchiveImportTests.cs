using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Tests.Pipeline;
using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.Archive;

/// <summary>Archives unpack regular files and directories only; anything else fails the import and leaves the volume as it was.</summary>
public sealed class ArchiveImportTests(ImageCorpus corpus) : IClassFixture<ImageCorpus>
{
    /// <summary>Builds a tar with Python's tarfile, which can write the hostile entries GNU tar refuses to.</summary>
    private string Tar(string name, string entries, string compress = "") => corpus.Get(name, path =>
        ProcessRunner.Sh($$"""
            python3 - <<'PY'
            import io, tarfile
            t = tarfile.open('{{path}}', 'w{{compress}}', format=tarfile.GNU_FORMAT)
            def f(name, data=b'', kind=tarfile.REGTYPE, link='', mode=0o644):
                i = tarfile.TarInfo(name); i.type = kind; i.linkname = link; i.size = len(data) if kind == tarfile.REGTYPE else 0; i.mode = mode
                t.addfile(i, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
            f('dir', kind=tarfile.DIRTYPE, mode=0o755)
            f('dir/a.txt', b'hello archive\n')
            f('top.bin', bytes(range(256)) * 4000, mode=0o600)
            {{entries}}
            t.close()
            PY
            """));

    private static ImportRequest Request(string source, string target) =>
        new(source, target, 64L << 20, ContentType: ContentType.Archive);

    [Theory]
    [InlineData("plain.tar", "")]
    [InlineData("plain.tar.gz", ":gz")]
    [InlineData("plain.tar.xz", ":xz")]
    [InlineData("plain.tar.bz2", ":bz2")]
    public async Task Regular_files_and_directories_land_in_the_target(string name, string compress)
    {
        var tar = Tar(name, "", compress);
        using var ws = new TempDirectory();
        await ImportHarness.RunAsync(Request(corpus.Server.RangeUrl(tar), ws.Path));
        ws.Listing().Should().Equal("dir", Path.Combine("dir", "a.txt"), "top.bin");
        File.ReadAllText(ws.File("dir/a.txt")).Should().Be("hello archive\n");
        new FileInfo(ws.File("top.bin")).Length.Should().Be(256 * 4000);
        File.GetUnixFileMode(ws.File("top.bin")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Theory]
    [InlineData("symlink.tar", "f('evil', kind=tarfile.SYMTYPE, link='/etc/passwd')", "a symbolic link")]
    [InlineData("hardlink.tar", "f('evil', kind=tarfile.LNKTYPE, link='top.bin')", "a hard link")]
    [InlineData("device.tar", "f('evil', kind=tarfile.CHRTYPE)", "a character device")]
    [InlineData("fifo.tar", "f('evil', kind=tarfile.FIFOTYPE)", "a FIFO")]
    [InlineData("absolute.tar", "f('/tmp/evil', b'x')", "absolute path")]
    [InlineData("dotdot.tar", "f('dir/../../evil', b'x')", "climbs out")]
    public async Task Anything_else_fails_and_nothing_is_written(string name, string entry, string reason)
    {
        var tar = Tar(name, entry);
        using var ws = new TempDirectory();
        var target = ws.Sub("volume");
        File.WriteAllText(Path.Combine(target, "existing"), "keep");
        var e = await ImportHarness.FailAsync(Request(corpus.Server.PlainUrl(tar), target));
        e.Reason.Should().Be(ImportFailureReason.ArchiveEntryNotAllowed);
        e.Message.Should().Contain(reason);
        ws.Listing().Should().Equal("volume", Path.Combine("volume", "existing"));
        File.Exists("/tmp/evil").Should().BeFalse();
    }

    [Fact]
    public async Task Archive_larger_than_the_volume_fails()
    {
        var tar = Tar("big.tar", "f('big.bin', bytes(9 << 20))");
        using var ws = new TempDirectory();
        var e = await ImportHarness.FailAsync(new ImportRequest(corpus.Server.RangeUrl(tar), ws.Path, 8L << 20, ContentType: ContentType.Archive));
        e.Reason.Should().Be(ImportFailureReason.ImageTooLarge);
        ws.Listing().Should().BeEmpty();
    }

    [Fact]
    public async Task Archive_into_a_block_volume_is_refused()
    {
        var tar = Tar("plain.tar", "");
        using var ws = new TempDirectory();
        var e = await ImportHarness.FailAsync(new ImportRequest(corpus.PathOf(tar), ws.File("dev"), 0, VolumeMode.Block, ContentType.Archive));
        e.Reason.Should().Be(ImportFailureReason.InvalidArgument);
    }
}
