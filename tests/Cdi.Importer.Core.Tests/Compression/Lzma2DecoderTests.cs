using Cdi.Importer.Core.Compression.Lzma;
using Cdi.Importer.Core.Pipeline;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Compression;

/// <summary>
/// Our LZMA2 decoder against xz as the reference: raw LZMA2 streams (`xz -F raw`) with every option that changes how
/// the encoder models data must decode to the bytes xz was given, however the input arrives; damaged or cut streams
/// must fail with a corrupt-image reason and nothing else.
/// </summary>
public sealed class Lzma2DecoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("preset=0", 1u << 18)]
    [InlineData("preset=1", 1u << 20)]
    [InlineData("preset=6", 8u << 20)]
    [InlineData("preset=9", 64u << 20)]
    [InlineData("preset=6,lc=0,lp=0,pb=0", 8u << 20)]
    [InlineData("preset=6,lc=4,lp=0,pb=4", 8u << 20)]
    [InlineData("preset=6,lc=0,lp=4,pb=2", 8u << 20)]
    [InlineData("preset=6,lc=1,lp=3,pb=1", 8u << 20)]
    [InlineData("preset=1,mode=fast,nice=273", 1u << 20)]
    [InlineData("preset=6,mode=normal,nice=273,depth=0", 8u << 20)]
    // A 4 KiB dictionary: the window (dictionary + one chunk) wraps every 2 MiB, so matches straddle the wrap.
    [InlineData("preset=6,dict=4KiB", 4096u)]
    [InlineData("preset=6,dict=6KiB", 6144u)]
    public void Decodes_what_xz_encodes_with_any_options(string options, uint dictionary)
    {
        var data = Data(7 << 20, seed: options.Length);

        var decoded = Decode(Encode(data, options), dictionary);

        decoded.SequenceEqual(data).Should().BeTrue($"the decoder must reproduce the input of xz --lzma2={options}");
    }

    [Fact]
    public void Runs_of_every_period_decode_as_xz_wrote_them()
    {
        // Overlapping matches are copied in doubling pieces: periods around the piece sizes and the longest match.
        var data = new List<byte>();
        var random = new Random(5);
        foreach (var period in new[] { 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 64, 100, 136, 137, 272, 273, 274, 1000, 4095 })
        {
            var unit = new byte[period];
            random.NextBytes(unit);
            for (var i = 0; i < 3000 + period * 3; i++)
            {
                data.Add(unit[i % period]);
            }
        }
        var bytes = data.ToArray();

        Decode(Encode(bytes, "preset=6,dict=64KiB"), 64u << 10).SequenceEqual(bytes).Should().BeTrue();
    }

    [Fact]
    public void Any_split_of_the_input_decodes_to_the_same_bytes()
    {
        var data = Data(3 << 20, seed: 3);
        var encoded = Encode(data, "preset=1,dict=64KiB");
        var runs = 0;
        var property = Prop.ForAll(Gen.Choose(1, 70_000).ArrayOf().ToArbitrary(), pieces =>
        {
            runs++;
            return Decode(encoded, 64u << 10, pieces).SequenceEqual(data);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(30), property);
        runs.Should().Be(30);
    }

    [Fact]
    public void Damaged_streams_fail_as_corrupt_or_decode_within_bounds_never_otherwise()
    {
        var data = Data(256 << 10, seed: 9);
        var encoded = Encode(data, "preset=6,dict=64KiB");
        var failures = 0;
        var runs = 0;
        var property = Prop.ForAll(
            Gen.Choose(0, encoded.Length - 1).Zip(Gen.Choose(0, 255)).ArrayOf().ToArbitrary(),
            damage =>
            {
                runs++;
                var copy = (byte[])encoded.Clone();
                foreach (var (at, value) in damage)
                {
                    copy[at] = (byte)value;
                }
                try
                {
                    // No container checksum here: a damaged stream may still decode, but never past its chunk sizes.
                    var decoded = Decode(copy, 64u << 10);
                    return decoded.Length <= (copy.Length / 3 + 1) * (2 << 20);
                }
                catch (ImportException e) when (e.Reason == ImportFailureReason.CorruptImage)
                {
                    failures++;
                    return e.Message.StartsWith("xz data is corrupt: ", StringComparison.Ordinal);
                }
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), property);
        runs.Should().Be(400);
        failures.Should().BeGreaterThan(100, "most damage is detected by the decoder itself");
    }

    [Fact]
    public void A_cut_stream_asks_for_more_and_never_misreads()
    {
        var data = Data(512 << 10, seed: 11);
        var encoded = Encode(data, "preset=6,dict=64KiB");
        var random = new Random(1);
        for (var i = 0; i < 200; i++)
        {
            var cut = random.Next(0, encoded.Length);
            using var decoder = new Lzma2Decoder(64u << 10);
            var start = 0;
            int used;
            while ((used = decoder.DecodeChunk(encoded.AsSpan(start, cut - start))) > 0)
            {
                start += used;
                decoder.Window.Take(out _, out _);
            }
            decoder.Ended.Should().BeFalse($"a stream cut at {cut} of {encoded.Length} has not ended");
            (cut - start).Should().BeLessThan(Lzma2Decoder.MaxChunkBytes, "only a partial chunk is left waiting");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0x00, 0x00, 0x41 }, "dictionary reset")]
    [InlineData(new byte[] { 0x80, 0x00, 0x00, 0x00, 0x04, 0x00, 0, 0, 0, 0 }, "dictionary reset")]
    [InlineData(new byte[] { 0x03 }, "chunk type")]
    [InlineData(new byte[] { 0x7F }, "chunk type")]
    // A stored chunk resets the dictionary; the LZMA chunk after it must bring properties.
    [InlineData(new byte[] { 0x01, 0x00, 0x00, 0x41, 0xA0, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 0, 0 }, "properties")]
    // lc = 3, lp = 2: more than LZMA2's four literal bits.
    [InlineData(new byte[] { 0xE0, 0x00, 0x00, 0x00, 0x04, 21, 0, 0, 0, 0, 0 }, "properties")]
    [InlineData(new byte[] { 0xE0, 0x00, 0x00, 0x00, 0x04, 225, 0, 0, 0, 0, 0 }, "properties")]
    // The range coder's first byte is always zero.
    [InlineData(new byte[] { 0xE0, 0x00, 0x00, 0x00, 0x04, 0x5D, 1, 0, 0, 0, 0 }, "does not start like one")]
    public void Malformed_chunks_are_refused_with_their_reason(byte[] stream, string reason)
    {
        using var decoder = new Lzma2Decoder(1 << 16);

        var act = () =>
        {
            for (var start = 0; start < stream.Length;)
            {
                var used = decoder.DecodeChunk(stream.AsSpan(start));
                if (used == 0)
                {
                    return;
                }
                start += used;
                decoder.Window.Take(out _, out _);
            }
        };

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.CorruptImage && e.Message.Contains(reason));
    }

    [Fact]
    public void A_decoder_restarted_for_another_stream_forgets_the_first()
    {
        var first = Data(1 << 20, seed: 1);
        var second = Data(1 << 20, seed: 2);
        using var decoder = new Lzma2Decoder(1 << 20);
        Decode(decoder, Encode(first, "preset=1")).SequenceEqual(first).Should().BeTrue();

        decoder.TryRestart(8 << 20).Should().BeFalse("a different dictionary needs a different window");
        decoder.TryRestart(1 << 20).Should().BeTrue();

        Decode(decoder, Encode(second, "preset=1")).SequenceEqual(second).Should().BeTrue();
    }

    private static byte[] Data(int length, int seed) => TestSupport.TestData.DiskLike(length, seed);

    private byte[] Encode(byte[] data, string options)
    {
        var input = _dir.File($"in-{Guid.NewGuid():N}");
        File.WriteAllBytes(input, data);
        ProcessRunner.Sh($"xz -F raw --lzma2={options} -c '{input}' > '{input}.lzma2'");
        var encoded = File.ReadAllBytes(input + ".lzma2");
        File.Delete(input);
        File.Delete(input + ".lzma2");
        return encoded;
    }

    private static byte[] Decode(byte[] encoded, uint dictionary, int[]? pieces = null)
    {
        using var decoder = new Lzma2Decoder(dictionary);
        return Decode(decoder, encoded, pieces);
    }

    /// <summary>Feeds <paramref name="encoded"/> in the given piece sizes (all at once without), as a reader would.</summary>
    private static byte[] Decode(Lzma2Decoder decoder, byte[] encoded, int[]? pieces = null)
    {
        var output = new MemoryStream();
        var start = 0;
        var available = pieces is { Length: > 0 } ? 0 : encoded.Length;
        var next = 0;
        while (!decoder.Ended)
        {
            var used = decoder.DecodeChunk(encoded.AsSpan(start, available - start));
            if (used == 0)
            {
                if (available == encoded.Length)
                {
                    throw new ImportException(ImportFailureReason.CorruptImage, "xz data is corrupt: test stream ended early");
                }
                available = Math.Min(encoded.Length, available + (pieces is { Length: > 0 } ? pieces[next++ % pieces.Length] : encoded.Length));
                continue;
            }
            start += used;
            decoder.Window.Take(out var a, out var b);
            output.Write(a);
            output.Write(b);
        }
        return output.ToArray();
    }
}
