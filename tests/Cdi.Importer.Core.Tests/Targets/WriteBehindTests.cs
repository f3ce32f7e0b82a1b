using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Targets;

namespace Cdi.Importer.Core.Tests.Targets;

/// <summary>The writer thread behind the parallel decoders: its failure reaches the producers and the caller.</summary>
public sealed class WriteBehindTests : IDisposable
{
    private readonly TempDirectory _dir = new("cdi-writebehind");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Buffers_from_several_threads_land_at_their_offsets()
    {
        var path = _dir.File("out");
        var expected = new byte[8 << 20];
        new Random(3).NextBytes(expected);
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            using var writes = new WriteBehind(new SparseWriter(handle, zeroSkippedRanges: false), buffers: 2, bufferSize: 1 << 20);
            Parallel.For(0, 8, i =>
            {
                var buffer = writes.Rent(CancellationToken.None);
                expected.AsSpan(i << 20, 1 << 20).CopyTo(buffer);
                writes.Submit((long)i << 20, buffer, 1 << 20, CancellationToken.None);
            });
            await writes.CompleteAsync();
        }
        File.ReadAllBytes(path).AsSpan().SequenceEqual(expected).Should().BeTrue();
    }

    [Fact]
    public async Task A_failed_write_stops_producers_waiting_for_buffers_and_surfaces_on_completion()
    {
        var path = _dir.File("readonly");
        File.WriteAllBytes(path, new byte[4096]);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        using var writes = new WriteBehind(new SparseWriter(handle, zeroSkippedRanges: false), buffers: 1, bufferSize: 4096);
        var buffer = writes.Rent(CancellationToken.None);
        buffer.AsSpan().Fill(7);
        writes.Submit(0, buffer, 4096, CancellationToken.None);

        // The only buffer went to a write that fails: a producer waiting for it is released by the failure, not left hanging.
        var waiting = () => writes.Rent(CancellationToken.None);
        waiting.Should().Throw<OperationCanceledException>();
        var complete = () => writes.CompleteAsync();
        await complete.Should().ThrowAsync<Exception>().Where(e => e is IOException || e is UnauthorizedAccessException);
    }
}
