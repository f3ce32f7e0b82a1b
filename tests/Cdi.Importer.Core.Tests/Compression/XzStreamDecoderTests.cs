using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Tests.TestSupport;

namespace Cdi.Importer.Core.Tests.Compression;

/// <summary>
/// The xz container read front to back around our LZMA2 decoder, with xz as the reference: every layout xz writes
/// decodes to the original bytes whatever the read sizes; what needs liblzma goes there from the first byte of its
/// stream; damage gives xz's own verdict (the same bytes, or a corrupt-image failure).
/// </summary>
public sealed class XzStreamDecoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly byte[] _data = TestSupport.TestData.DiskLike(5 << 20, seed: 21);
    private readonly string _raw;

    public XzStreamDecoderTests()
    {
        _raw = _dir.File("data.raw");
        File.WriteAllBytes(_raw, _data);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("xz -c", 1, false)]
    [InlineData("xz -0 -c", 1, false)]
    [InlineData("xz -9 -c", 1, false)]
    [InlineData("xz -C crc32 -c", 1, false)]
    [InlineData("xz -C sha256 -c", 1, false)]
    [InlineData("xz -C none -c", 1, false)]
    [InlineData("xz -T2 --block-size=1MiB -c", 1, false)]
    // Threaded xz's blocks list their sizes: with threads to spare liblzma decodes them in parallel.
    [InlineData("xz -T2 --block-size=1MiB -c", 2, true)]
    [InlineData("xz --x86 --lzma2=preset=1 -c", 1, true)]
    [InlineData("xz --delta=dist=2 --lzma2=preset=1 -c", 1, true)]
    public void Every_layout_xz_writes_decodes_to_the_original(string command, int threads, bool liblzma)
    {
        var xz = Compress(command);

        foreach (var chunk in new[] { 1 << 20, 4099, 77 })
        {
            var (decoded, decoder) = Decode(xz, chunk, threads);
            decoded.SequenceEqual(_data).Should().BeTrue($"{command} read {chunk} bytes at a time");
            decoder.HandedToLiblzma.Should().Be(liblzma);
        }
    }

    [Fact]
    public void Concatenated_streams_with_padding_and_an_empty_stream_decode_in_order()
    {
        var first = Compress("xz -c");
        var empty = _dir.File("empty");
        File.WriteAllBytes(empty, []);
        ProcessRunner.Sh($"xz -c '{empty}' > '{empty}.xz'");
        var second = Compress("xz -1 -C crc32 -c");
        byte[] file = [.. first, 0, 0, 0, 0, .. File.ReadAllBytes(empty + ".xz"), .. second, 0, 0, 0, 0, 0, 0, 0, 0];

        var (decoded, decoder) = Decode(file, 4099, 1);

        decoded.SequenceEqual(_data.Concat(_data)).Should().BeTrue();
        decoder.HandedToLiblzma.Should().BeFalse();
    }

    [Fact]
    public void A_later_stream_with_other_filters_goes_to_liblzma_from_its_start()
    {
        byte[] file = [.. Compress("xz -c"), .. Compress("xz --x86 --lzma2=preset=1 -c")];

        var (decoded, decoder) = Decode(file, 65536, 1);

        decoded.SequenceEqual(_data.Concat(_data)).Should().BeTrue();
        decoder.HandedToLiblzma.Should().BeTrue();
    }

    [Theory]
    [InlineData(new byte[] { 1 }, "trailing bytes")]
    [InlineData(new byte[] { 0, 0, 0 }, "trailing bytes")]
    [InlineData(new byte[] { 0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7 }, "trailing bytes")]
    public void Bytes_after_the_last_stream_that_are_not_padding_are_refused(byte[] tail, string reason)
    {
        byte[] file = [.. Compress("xz -1 -c"), .. tail];

        var act = () => Decode(file, 65536, 1);

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.CorruptImage && e.Message.Contains(reason));
    }

    [Fact]
    public void Random_damage_gives_the_xz_tools_verdict()
    {
        var xz = Compress("xz -1 -c");
        var random = new Random(17);
        for (var run = 0; run < 60; run++)
        {
            var damaged = (byte[])xz.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                // Anywhere past the magic, with the container's tail (index, footer) hit as often as the data.
                var at = random.Next(2) == 0 ? random.Next(6, damaged.Length) : damaged.Length - 1 - random.Next(Math.Min(damaged.Length - 6, 96));
                damaged[at] = (byte)random.Next(256);
            }
            var path = _dir.File($"damaged-{run}.xz");
            File.WriteAllBytes(path, damaged);
            var reference = ProcessRunner.Run("sh", ["-c", $"xz -dc '{path}' > '{path}.out'"]);
            try
            {
                var (decoded, _) = Decode(damaged, 65536, 1);
                reference.ExitCode.Should().Be(0, $"xz refuses run {run} but we decoded it");
                decoded.SequenceEqual(File.ReadAllBytes(path + ".out")).Should().BeTrue();
            }
            catch (ImportException e)
            {
                e.Reason.Should().BeOneOf(ImportFailureReason.CorruptImage, ImportFailureReason.DecoderLimit, ImportFailureReason.UnsupportedFormat);
                reference.ExitCode.Should().NotBe(0, $"xz decodes run {run} but we said: {e.Message}");
            }
            File.Delete(path);
            File.Delete(path + ".out");
        }
    }

    [Fact]
    public void A_dictionary_above_the_memory_limit_is_named()
    {
        var xz = Compress("xz --lzma2=preset=1,dict=64MiB -c");

        var act = () => Decode(xz, 65536, 1, memoryLimit: 32L << 20);

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.DecoderLimit && e.Message.Contains("needs 64") && e.Message.Contains("above the 32 MiB limit"));
    }

    private byte[] Compress(string command)
    {
        var output = _dir.File($"out-{Guid.NewGuid():N}.xz");
        ProcessRunner.Sh($"{command} '{_raw}' > '{output}'");
        return File.ReadAllBytes(output);
    }

    private static (byte[] Decoded, XzStreamDecoder Decoder) Decode(byte[] xz, int chunk, int threads, long memoryLimit = 256L << 20)
    {
        var decoder = new XzStreamDecoder(DecoderLimits.Default with { Threads = threads, MemoryLimitBytes = memoryLimit });
        using var stream = new DecoderStream(new ChunkedReadStream(new MemoryStream(xz), chunk), decoder);
        var output = new MemoryStream();
        stream.CopyTo(output, 100_003);
        return (output.ToArray(), decoder);
    }
}
