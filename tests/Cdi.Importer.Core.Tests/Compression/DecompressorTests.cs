using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Tests.TestSupport;

namespace Cdi.Importer.Core.Tests.Compression;

public sealed class DecompressorTests : IClassFixture<CompressedFixture>
{
    private readonly CompressedFixture _fixture;

    public DecompressorTests(CompressedFixture fixture) => _fixture = fixture;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in CompressedFixture.Cases)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static TheoryData<string, int> NamesAndChunks()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in CompressedFixture.Cases)
        {
            foreach (int chunk in new[] { 1, 17, 1 << 20 })
            {
                data.Add(c.Name, chunk);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NamesAndChunks))]
    public void Open_decodes_cli_output_through_any_read_size(string name, int chunk)
    {
        byte[] compressed = _fixture.Bytes(name);
        CompressionDetector.Detect(compressed).Should().Be(KindOf(name));

        byte[] decoded = DecodeAll(KindOf(name), new ChunkedReadStream(new MemoryStream(compressed), chunk));

        decoded.Length.Should().Be(_fixture.Original.Length);
        decoded.AsSpan().SequenceEqual(_fixture.Original).Should().BeTrue("the decoded bytes must equal the original");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task ReadAsync_decodes_cli_output(string name)
    {
        await using var stream = Decompressor.Open(KindOf(name), new ChunkedReadStream(new MemoryStream(_fixture.Bytes(name)), 4099), DecoderLimits.Default);
        using var output = new MemoryStream();
        await stream.CopyToAsync(output, 7919);

        output.ToArray().AsSpan().SequenceEqual(_fixture.Original).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Truncated_input_is_corrupt(string name)
    {
        byte[] compressed = _fixture.Bytes(name);
        foreach (int length in new[] { compressed.Length / 2, compressed.Length - 1, 10 })
        {
            var act = () => DecodeAll(KindOf(name), new MemoryStream(compressed[..length]));
            act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.CorruptImage, $"{length} of {compressed.Length} bytes");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Corrupted_byte_in_the_middle_is_corrupt(string name)
    {
        byte[] compressed = _fixture.Bytes(name);
        compressed[compressed.Length / 2] ^= 0x55;

        var act = () => DecodeAll(KindOf(name), new MemoryStream(compressed));

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.CorruptImage);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Trailing_garbage_after_a_valid_stream_is_corrupt(string name)
    {
        byte[] compressed = [.. _fixture.Bytes(name), .. "this is not compressed data"u8];

        var act = () => DecodeAll(KindOf(name), new MemoryStream(compressed));

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.CorruptImage);
    }

    [Theory]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.Xz)]
    [InlineData(CompressionKind.Zstd)]
    [InlineData(CompressionKind.Bzip2)]
    public void Empty_input_is_corrupt(CompressionKind kind)
    {
        var act = () => DecodeAll(kind, new MemoryStream());

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.CorruptImage);
    }

    [Theory]
    [InlineData("xz-huge-dict", 1)]
    [InlineData("xz-huge-dict", 17)]
    [InlineData("xz-huge-dict", 1 << 20)]
    [InlineData("xz-then-huge-dict", 1 << 20)]
    public void Xz_dictionary_above_the_memory_limit_is_a_decoder_limit(string name, int chunk)
    {
        var act = () => DecodeAll(CompressionKind.Xz, new ChunkedReadStream(new MemoryStream(_fixture.Bytes(name)), chunk));

        act.Should().Throw<ImportException>()
            .Where(e => e.Reason == ImportFailureReason.DecoderLimit)
            .WithMessage("xz stream needs 1.5 GiB of memory, above the 256 MiB limit");
    }

    [Fact]
    public void Zstd_window_above_the_limit_is_a_decoder_limit()
    {
        var act = () => DecodeAll(CompressionKind.Zstd, new MemoryStream(_fixture.Bytes("zstd-long31")));

        act.Should().Throw<ImportException>()
            .Where(e => e.Reason == ImportFailureReason.DecoderLimit)
            .WithMessage("*window*128 MiB*");
    }

    [Fact]
    public void Zstd_large_window_decodes_when_the_limit_allows_it()
    {
        byte[] decoded = DecodeAll(CompressionKind.Zstd, new MemoryStream(_fixture.Bytes("zstd-long31")), DecoderLimits.Default with { ZstdWindowLogMax = 31 });

        decoded.AsSpan().SequenceEqual(_fixture.Original.AsSpan(0, 1_000_000)).Should().BeTrue();
    }

    [Theory]
    [InlineData(CompressionKind.Gzip, "gzip")]
    [InlineData(CompressionKind.Xz, "xz-single-block")]
    [InlineData(CompressionKind.Zstd, "zstd")]
    [InlineData(CompressionKind.Bzip2, "bzip2")]
    public void Stream_is_read_only_forward_only_and_owns_its_inner_stream(CompressionKind kind, string name)
    {
        var inner = new ChunkedReadStream(new MemoryStream(_fixture.Bytes(name)), 1 << 20);
        var stream = Decompressor.Open(kind, inner, DecoderLimits.Default);

        stream.CanRead.Should().BeTrue();
        stream.CanSeek.Should().BeFalse();
        stream.CanWrite.Should().BeFalse();
        stream.Invoking(s => s.Seek(0, SeekOrigin.Begin)).Should().Throw<NotSupportedException>();
        stream.ReadByte().Should().Be(_fixture.Original[0]);

        stream.Dispose();

        inner.IsDisposed.Should().BeTrue();
    }

    [Fact]
    public void Open_without_a_codec_is_an_argument_error()
    {
        var act = () => Decompressor.Open(CompressionKind.None, new MemoryStream(), DecoderLimits.Default);

        act.Should().Throw<ArgumentException>();
    }

    internal static byte[] DecodeAll(CompressionKind kind, Stream compressed, DecoderLimits? limits = null)
    {
        using var stream = Decompressor.Open(kind, compressed, limits ?? DecoderLimits.Default);
        using var output = new MemoryStream();
        // An odd read size so output boundaries fall everywhere too.
        var buffer = new byte[4093];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static CompressionKind KindOf(string name) => CompressedFixture.Cases.Single(c => c.Name == name).Kind;
}
