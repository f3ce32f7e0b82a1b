using Cdi.Importer.Core.Targets;
using Cdi.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Targets;

/// <summary>
/// Writes through the O_DIRECT descriptor (whole aligned blocks) and the ordinary one (ragged heads and tails, unaligned
/// memory through the bounce buffer) must add up to exactly the bytes given, whatever the offsets, lengths and memory.
/// </summary>
public sealed class SparseWriterDirectTests : IDisposable
{
    private const int FileSize = 6 << 20;
    private readonly TempDirectory _dir = new("cdi-direct");

    [Fact]
    public void The_test_directory_supports_direct_io_so_the_direct_path_is_what_these_tests_exercise()
    {
        var path = _dir.File("probe");
        File.WriteAllBytes(path, []);
        using var direct = DirectFile.TryOpen(path);
        direct.Should().NotBeNull("the temp directory is on ext4 here; without O_DIRECT the other tests would only cover the fallback");
    }

    [Fact]
    public void Aligned_data_in_aligned_memory_goes_direct_and_reads_back_exactly()
    {
        var buffer = new AlignedBuffer(1 << 20);
        new Random(1).NextBytes(buffer.Span);
        var expected = new byte[FileSize];
        buffer.Span.CopyTo(expected.AsSpan(4096));

        var actual = WriteAll([(4096, buffer.Memory)], out var stayedDirect);

        stayedDirect.Should().BeTrue();
        actual.AsSpan().SequenceEqual(expected).Should().BeTrue();
    }

    [Theory]
    [InlineData(0, 4095)]
    [InlineData(1, 4096)]
    [InlineData(511, 8192 + 17)]
    [InlineData(4096, 12288 + 1)]
    [InlineData(4097, (2 << 20) + 3)]
    public void Ragged_offsets_and_lengths_in_unaligned_memory_read_back_exactly(int offset, int length)
    {
        var array = new byte[length + 1];
        new Random(offset ^ length).NextBytes(array);
        var data = array.AsMemory(1, length);
        var expected = new byte[FileSize];
        data.Span.CopyTo(expected.AsSpan(offset));

        var actual = WriteAll([(offset, data)], out _);

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
                var misalign = random.Next(2) == 0 ? 0 : random.Next(1, 64);
                var array = new byte[length + misalign];
                if (random.Next(3) != 0)
                {
                    random.NextBytes(array);
                    // Some zero blocks inside data, to mix skipped holes with direct and buffered writes.
                    array.AsSpan(misalign + length / 3, Math.Min(length / 3, 8192)).Clear();
                }
                var data = array.AsMemory(misalign, length);
                data.Span.CopyTo(expected.AsSpan((int)offset));
                writes.Add((offset, data));
                offset += length + (random.Next(3) == 0 ? random.Next(0, 20000) : 0);
            }
            WriteAll(writes, out _).AsSpan().SequenceEqual(expected).Should().BeTrue($"seed {seed}");
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
        using (var direct = DirectFile.TryOpen(path))
        {
            var writer = new SparseWriter(handle, zeroSkippedRanges: false, direct);
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

    private byte[] WriteAll(IReadOnlyList<(long Offset, ReadOnlyMemory<byte> Data)> writes, out bool stayedDirect)
    {
        var path = _dir.File($"out-{Guid.NewGuid():N}");
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        using (var direct = DirectFile.TryOpen(path))
        {
            var writer = new SparseWriter(handle, zeroSkippedRanges: false, direct);
            foreach (var (offset, data) in writes)
            {
                writer.Write(offset, data.Span);
            }
            writer.Flush();
            stayedDirect = writer.WritesDirect;
            RandomAccess.SetLength(handle, FileSize);
        }
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }
}
