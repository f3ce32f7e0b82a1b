using System.Text.Json;
using Cdi.Testing;

namespace Cdi.Cli.Tests;

/// <summary>The <c>cdi import</c> contract: exit codes, exactly one <c>error:</c> line, JSON progress, the result file.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly TempDirectory _ws = new();
    private readonly string _qcow2;

    public ImportCommandTests()
    {
        var raw = TestImages.CreateRaw(_ws.File("base.raw"), 8L << 20);
        _qcow2 = TestImages.Convert(raw, _ws.File("base.qcow2"), "qcow2");
    }

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Successful_import_exits_zero_and_writes_disk_img()
    {
        var o = CdiCli.Run("import", "--source", _qcow2, "--target", _ws.File("vol"), "--size", "16Mi", "--progress", "none");
        o.ExitCode.Should().Be(0, o.Stderr);
        o.Stdout.Should().Contain("imported qcow2");
        new FileInfo(_ws.File("vol/disk.img")).Length.Should().Be(15_770_112); // floor(0.94 * 16 MiB / 512) * 512
    }

    [Theory]
    [InlineData("xz -0 -T1 -c", true)]
    [InlineData("xz -0 -T1 -c", false)]
    [InlineData("xz -0 -T2 --block-size=4MiB -c", true)]
    [InlineData("xz -0 -T2 --block-size=4MiB -c", false)]
    [InlineData("zstd -q -c", true)]
    [InlineData("gzip -1 -c", false)]
    public void Compressed_images_over_http_import_through_the_command(string compress, bool ranged)
    {
        // The command's own runtime settings meet the network and the decoders here. 24 MiB of incompressible data:
        // more than any buffer holds, so the decoder reads while the download is still under way (a single-block xz
        // once stalled there until the idle timeout, when socket reads completed on the polling thread).
        var served = _ws.Sub("served");
        var raw = _ws.File("c.raw");
        ProcessRunner.Sh($"head -c 24M /dev/urandom > '{raw}' && {compress} '{raw}' > '{served}/c.img'");
        using var server = new NginxServer(served);

        var o = CdiCli.Run("import", "--source", ranged ? server.RangeUrl("c.img") : server.PlainUrl("c.img"), "--target", _ws.File("vol"),
            "--size", "32Mi", "--filesystem-overhead", "0", "--progress", "none");

        o.ExitCode.Should().Be(0, o.Stderr);
        o.Stderr.Should().NotContain("retrying");
        TestImages.CompareWithReference(_ws.File("vol/disk.img"), raw, 32L << 20).Should().BeNull();
    }

    [Fact]
    public void Json_progress_is_one_object_per_line_with_upstream_phases()
    {
        var o = CdiCli.Run("import", "--source", "file://" + _qcow2, "--target", _ws.File("vol"), "--size", "16Mi", "--progress", "json");
        o.ExitCode.Should().Be(0, o.Stderr);
        var events = CdiCli.ErrorLines(o).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        events.Should().NotBeEmpty();
        foreach (var e in events)
        {
            e.TryGetProperty("phase", out _).Should().BeTrue();
            e.TryGetProperty("bytesRead", out _).Should().BeTrue();
            e.TryGetProperty("bytesWritten", out _).Should().BeTrue();
            e.TryGetProperty("total", out _).Should().BeTrue();
            e.TryGetProperty("percent", out _).Should().BeTrue();
        }
        events.Select(e => e.GetProperty("phase").GetString()).Distinct().Should().Equal("Info", "Convert", "Resize", "Complete");
        events[^1].GetProperty("percent").GetDouble().Should().Be(100);
    }

    [Fact]
    public void Rejected_image_prints_one_error_line_and_leaves_no_disk()
    {
        var overlay = _ws.File("overlay.qcow2");
        TestImages.QemuImg("create", "-f", "qcow2", "-b", _qcow2, "-F", "qcow2", overlay);
        var o = CdiCli.Run("import", "--source", overlay, "--target", _ws.File("vol"), "--size", "16Mi");
        o.ExitCode.Should().NotBe(0);
        CdiCli.ErrorLines(o).Should().Equal("error: qcow2 backing file is not allowed");
        File.Exists(_ws.File("vol/disk.img")).Should().BeFalse();
    }

    [Fact]
    public void Too_small_volume_names_both_sizes()
    {
        var o = CdiCli.Run("import", "--source", _qcow2, "--target", _ws.File("vol"), "--size", "4Mi");
        o.ExitCode.Should().Be(7);
        CdiCli.ErrorLines(o).Should().Equal($"error: virtual size {8L << 20} is larger than available 3942400");
    }

    [Theory]
    [InlineData("--size", "ten", "error: --size: invalid quantity \"ten\"")]
    [InlineData("--size", "1Gb", "error: --size: invalid quantity \"1Gb\"")]
    [InlineData("--size", "0", "error: --size: \"0\" is not a positive size")]
    [InlineData("--size", "9Ei", "error: --size: \"9Ei\" is larger than 8 EiB")]
    [InlineData("--checksum", "sha256:abc", "error: invalid sha256 checksum \"abc\"")]
    [InlineData("--checksum", "crc32:00", "error: invalid checksum algorithm \"crc32\"")]
    [InlineData("--volume-mode", "Tape", "error: ")]
    [InlineData("--filesystem-overhead", "1.5", "error: invalid filesystem overhead \"1.5\"")]
    public void Bad_arguments_fail_with_one_line(string option, string value, string prefix)
    {
        var args = new List<string> { "import", "--source", _qcow2, "--target", _ws.File("vol"), "--size", "16Mi" };
        var i = args.IndexOf(option);
        if (i >= 0)
        {
            args[i + 1] = value;
        }
        else
        {
            args.Add(option);
            args.Add(value);
        }
        var o = CdiCli.Run([.. args]);
        o.ExitCode.Should().Be(2);
        CdiCli.ErrorLines(o).Should().ContainSingle().Which.Should().StartWith(prefix);
    }

    [Fact]
    public void Missing_required_option_fails_with_one_line()
    {
        var o = CdiCli.Run("import", "--source", _qcow2);
        o.ExitCode.Should().Be(2);
        CdiCli.ErrorLines(o).Should().ContainSingle().Which.Should().StartWith("error: ");
    }

    [Fact]
    public void Unsupported_scheme_is_a_clear_error()
    {
        var o = CdiCli.Run("import", "--source", "ftp://example.com/disk.img", "--target", _ws.File("vol"), "--size", "16Mi");
        o.ExitCode.Should().Be(2);
        CdiCli.ErrorLines(o).Should().Equal("error: unsupported source scheme \"ftp://\": use http://, https://, docker://, oci-archive://, s3://, file:// or a local path");
    }
}
