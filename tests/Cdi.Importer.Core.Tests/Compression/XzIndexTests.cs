using System.Globalization;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Compression;

/// <summary>The block map read from an xz file's end must be exactly what the xz tool itself lists, or nothing.</summary>
public sealed class XzIndexTests : IDisposable
{
    private readonly TempDirectory _dir = new("cdi-xzindex");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("xz -T2 --block-size=1MiB -c")]
    [InlineData("xz -T1 --block-size=300KiB --check=crc32 -c")]
    [InlineData("xz --check=none --block-size=777777 -c")]
    [InlineData("xz --check=sha256 -c")]
    public async Task Blocks_match_the_xz_tools_own_listing(string compress)
    {
        var file = Compress(compress, "one.xz");

        var index = await ReadAsync(file);

        index.Should().NotBeNull();
        index!.Blocks.Select(b => (b.Offset, b.TotalSize, b.UncompressedOffset, b.UncompressedSize)).Should().Equal(Listing(file));
        index.UncompressedSize.Should().Be(new FileInfo(_dir.File("data.raw")).Length);
    }

    [Fact]
    public async Task Concatenated_streams_with_stream_padding_are_all_mapped_in_order()
    {
        var a = Compress("xz -T2 --block-size=1MiB -c", "a.xz");
        var b = Compress("xz --block-size=512KiB --check=crc32 -c", "b.xz");
        var joined = _dir.File("joined.xz");
        File.WriteAllBytes(joined, [.. File.ReadAllBytes(a), .. new byte[8], .. File.ReadAllBytes(b), .. new byte[4]]);

        var index = await ReadAsync(joined);

        index.Should().NotBeNull();
        index!.Blocks.Select(x => (x.Offset, x.TotalSize, x.UncompressedOffset, x.UncompressedSize)).Should().Equal(Listing(joined));
        index.Blocks.Select(x => x.StreamHeader.Span[7]).Distinct().Should().HaveCount(2, "each block carries its own stream's check type");
    }

    [Theory]
    [InlineData("gzip -c")]
    [InlineData("cat")]
    public async Task Anything_but_xz_gives_no_map(string command)
    {
        var file = Compress(command, "other.bin");
        (await ReadAsync(file)).Should().BeNull();
    }

    [Fact]
    public async Task A_truncated_file_gives_no_map()
    {
        var bytes = File.ReadAllBytes(Compress("xz -T2 --block-size=1MiB -c", "cut.xz"));
        var cut = _dir.File("cut2.xz");
        File.WriteAllBytes(cut, bytes[..^7]);
        (await ReadAsync(cut)).Should().BeNull();
    }

    [Fact]
    public async Task Damage_anywhere_in_the_tail_gives_no_map_or_a_map_within_the_file()
    {
        var bytes = File.ReadAllBytes(Compress("xz -T2 --block-size=256KiB -c", "fuzz.xz"));
        var runs = 0;
        var property = Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            runs++;
            var random = new Random(seed);
            var copy = (byte[])bytes.Clone();
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                // The index and footer live in the last few hundred bytes; the stream header at the start.
                var at = random.Next(3) == 0 ? random.Next(0, 12) : copy.Length - 1 - random.Next(0, Math.Min(copy.Length, 400));
                copy[at] = (byte)random.Next(256);
            }
            var path = _dir.File($"fuzz-{runs}.xz");
            File.WriteAllBytes(path, copy);
            var index = ReadAsync(path).GetAwaiter().GetResult();
            index?.Blocks.Should().OnlyContain(b => b.Offset >= 12 && b.Offset + b.TotalSize <= copy.Length && b.TotalSize > 0);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
        runs.Should().Be(200);
    }

    private string Compress(string command, string name)
    {
        var raw = _dir.File("data.raw");
        if (!File.Exists(raw))
        {
            TestImages.CreateRaw(raw, 3 << 20, seed: 5);
        }
        var output = _dir.File(name);
        ProcessRunner.Sh($"{command} '{raw}' > '{output}'");
        return output;
    }

    private static async Task<XzIndex?> ReadAsync(string path)
    {
        // No exception may escape: whatever the tail says, reads stay within the file and a bad tail is "no map".
        await using var reader = new FileRangeReader(path);
        return await XzIndex.TryReadAsync(reader, CancellationToken.None);
    }

    /// <summary>xz --robot -lvv block lines: compressed offset, total size, uncompressed offset, uncompressed size.</summary>
    private static List<(long, long, long, long)> Listing(string path) =>
        ProcessRunner.Sh($"xz --robot -lvv '{path}'").Split('\n')
            .Select(l => l.Split('\t'))
            .Where(f => f[0] == "block")
            .Select(f => (L(f[4]), L(f[6]), L(f[5]), L(f[7])))
            .ToList();

    private static long L(string s) => long.Parse(s, CultureInfo.InvariantCulture);
}
