using Cdi.Importer.Core.Targets;
using Cdi.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Targets;

/// <summary>
/// Whatever the offsets, lengths and memory, the file must hold exactly the bytes given; and the page cache must not keep
/// them: each writer hands its ranges to writeback at once and drops them once written (<see cref="WritebackWindow"/>).
/// </summary>
public sealed class SparseWriterTests : IDisposable
{
    private const int FileSize = 6 << 20;
    private readonly TempDirectory _dir = new("cdi-sparse");

    [Fact]
    public void The_test_directory_keeps_written_pages_cached_so_the_cache_assertions_can_fail()
    {
        // Plain writes stay in the page cache after fsync: what the window must prevent, and what fincore must see.
        var path = _dir.File("plain");
        var data = new byte[8 << 20];
        new Random(2).NextBytes(data);
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(data);
            stream.Flush(flushToDisk: true);
        }
        Cached(path).Should().BeGreaterThan(6 << 20);
    }

    [Fact]
    public void Flushed_data_is_on_disk_and_out_of_the_page_cache_and_reads_back_exactly()
    {
        var path = _dir.File("flushed");
        var expected = new byte[64 << 20];
        new Random(1).NextBytes(expected);
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            var writer = new SparseWriter(handle, zeroSkippedRanges: false);
            for (var at = 0; at < expected.Length; at += 1 << 20)
            {
                writer.Write(at, expected.AsSpan(at, 1 << 20));
            }
            writer.Flush();
            Cached(path).Should().BeLessThan(4 << 20);
        }
        File.ReadAllBytes(path).AsSpan().SequenceEqual(expected).Should().BeTrue();
    }

    [Fact]
    public void While_writing_at_most_the_window_stays_in_the_page_cache()
    {
        var path = _dir.File("window");
        var chunk = new byte[4 << 20];
        new Random(4).NextBytes(chunk);
        var peak = 0L;
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            var writer = new SparseWriter(handle, zeroSkippedRanges: false);
            // Backwards, so no write extends the one before: every range is handed over on its own.
            for (var i = 23; i >= 0; i--)
            {
                writer.Write((long)i * chunk.Length, chunk);
                peak = Math.Max(peak, Cached(path));
            }
            writer.Flush();
        }
        peak.Should().BeGreaterThan(0).And.BeLessOrEqualTo(WritebackWindow.Size + chunk.Length);
    }

    [Fact]
    public void A_target_that_cannot_start_writeback_is_written_the_ordinary_way()
    {
        // sync_file_range refuses character devices (ESPIPE), as some file systems refuse it: the window turns itself
        // off instead of failing the import.
        using var handle = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var writer = new SparseWriter(handle, zeroSkippedRanges: false);
        var chunk = new byte[4 << 20];
        new Random(5).NextBytes(chunk);
        for (var i = 0; i < 12; i++)
        {
            writer.Write((long)i * chunk.Length, chunk);
        }
        writer.Flush();
        writer.BytesWritten.Should().Be(12L * chunk.Length);
    }

    [Theory]
    [InlineData(0, 4095)]
    [InlineData(1, 4096)]
    [InlineData(511, 8192 + 17)]
    [InlineData(4096, 12288 + 1)]
    [InlineData(4097, (2 << 20) + 3)]
    public void Ragged_offsets_and_lengths_read_back_exactly(int offset, int length)
    {
        var array = new byte[length];
        new Random(offset ^ length).NextBytes(array);
        var data = array.AsMemory();
        var expected = new byte[FileSize];
        data.Span.CopyTo(expected.AsSpan(offset));

        var actual = WriteAll([(offset, data)]);

        actual.AsSpan().SequenceEqual(expected).Should().BeTrue();
    }

    [Fact]
    public void Random_runs_of_data_and_zeros_at_random_offsets_read_back_exactly()
    {
        var runs = 0;
        var property = Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            runs++;
            var random = new Random(seed);
            var expected = new byte[FileSize];
            var writes = new List<(long, ReadOnlyMemory<byte>)>();
            long offset = random.Next(0, 3) * random.Next(0, 9000);
            while (offset < FileSize - 1)
            {
                var length = (int)Math.Min(FileSize - offset, random.Next(4) switch
                {
                    0 => random.Next(1, 600),
                    1 => random.Next(1, 5) * 4096,
                    2 => random.Next(4096, 300_000),
                    _ => random.Next(1, 3) << 20,
                });
                var array = new byte[length];
                if (random.Next(3) != 0)
                {
                    random.NextBytes(array);
                    // Some zero blocks inside data, to mix skipped holes with written ranges.
                    array.AsSpan(length / 3, Math.Min(length / 3, 8192)).Clear();
                }
                var data = array.AsMemory();
                data.Span.CopyTo(expected.AsSpan((int)offset));
                writes.Add((offset, data));
                offset += length + (random.Next(3) == 0 ? random.Next(0, 20000) : 0);
            }
            WriteAll(writes).AsSpan().SequenceEqual(expected).Should().BeTrue($"seed {seed}");
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
        runs.Should().Be(60);
    }

    [Fact]
    public void Forked_writers_on_two_threads_fill_disjoint_halves_and_count_every_byte()
    {
        var path = _dir.File($"fork-{Guid.NewGuid():N}");
        var expected = new byte[FileSize];
        new Random(7).NextBytes(expected);
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            var writer = new SparseWriter(handle, zeroSkippedRanges: false);
            var half = FileSize / 2 + 100;
            var forks = new[] { (writer.Fork(), 0, half), (writer.Fork(), half, FileSize - half) };
            Parallel.ForEach(forks, f =>
            {
                var (w, start, length) = f;
                for (var at = 0; at < length; at += 1 << 20)
                {
                    var n = Math.Min(1 << 20, length - at);
                    w.Write(start + at, expected.AsSpan(start + at, n));
                }
                w.Flush();
            });
            writer.BytesWritten.Should().Be(FileSize);
        }
        File.ReadAllBytes(path).AsSpan().SequenceEqual(expected).Should().BeTrue();
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Bytes of the file in the page cache, as fincore(1) counts them.</summary>
    private static long Cached(string path)
    {
        var output = ProcessRunner.Run("fincore", ["--bytes", "--noheadings", "--output", "RES", path]);
        output.ExitCode.Should().Be(0, output.Stderr);
        return long.Parse(output.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private byte[] WriteAll(IReadOnlyList<(long Offset, ReadOnlyMemory<byte> Data)> writes)
    {
        var path = _dir.File($"out-{Guid.NewGuid():N}");
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            var writer = new SparseWriter(handle, zeroSkippedRanges: false);
            foreach (var (offset, data) in writes)
            {
                writer.Write(offset, data.Span);
            }
            writer.Flush();
            RandomAccess.SetLength(handle, FileSize);
        }
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }
}
