using System.Collections.Concurrent;
using Cdi.Importer.Core.Targets;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>
/// The hot loop: a dedicated reader thread fills fixed-size chunks with plain synchronous reads (network, pipe,
/// decoder) while the caller writes the previous chunk sparsely. Async reads here cost a thread-pool hop per 64 KiB
/// and measurably slowed streamed imports; a thread per import does not. Memory is three chunks whatever the input.
/// The reader never outlives this call: the input stack (native decoders) is disposed right after it.
/// </summary>
public sealed class ChunkCopier
{
    public const int ChunkSize = 4 << 20;
    private const int Chunks = 3;
    private const int TrailerSize = 512;
    private readonly byte[] _trailer = new byte[TrailerSize];

    /// <summary>The last (up to) 512 bytes copied: where a fixed VHD keeps its footer.</summary>
    public ReadOnlySpan<byte> Trailer => _trailer.AsSpan(TrailerSize - (int)Math.Min(TrailerSize, Copied), (int)Math.Min(TrailerSize, Copied));

    public long Copied { get; private set; }

    /// <summary>Copies everything, failing through <paramref name="onLimit"/> as soon as the output would pass <paramref name="limit"/>.</summary>
    public async Task CopyAsync(Stream input, SparseWriter writer, long limit, Action onLimit, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var full = new BlockingCollection<(byte[] Buffer, int Length)>(Chunks);
        using var free = new BlockingCollection<byte[]>(Chunks);
        for (var i = 0; i < Chunks; i++)
        {
            // Fresh buffers, not pooled ones: a reader blocked in a read after a failure may still hold one.
            free.Add(GC.AllocateUninitializedArray<byte>(ChunkSize), CancellationToken.None);
        }
        var reader = Task.Factory.StartNew(() => Produce(input, full, free, stop.Token), stop.Token,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var (buffer, length) in full.GetConsumingEnumerable(stop.Token))
            {
                if (Copied + length > limit)
                {
                    onLimit();
                }
                writer.Write(Copied, buffer.AsSpan(0, length));
                Remember(buffer.AsSpan(0, length));
                Copied += length;
                free.Add(buffer, stop.Token);
            }
            writer.Flush();
        }
        catch
        {
            // The reader may be inside a native decoder on the input stack; the caller disposes that stack once we
            // return, so wait for the reader's current read to end first (it then sees the cancellation).
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await reader.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Cancelled, or failed after ours: the first failure is the one to report.
            }
            throw;
        }
        // The reader's own failure (a broken download, corrupt compressed data) surfaces here.
        await reader.ConfigureAwait(false);
    }

    private static void Produce(Stream input, BlockingCollection<(byte[], int)> full, BlockingCollection<byte[]> free, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = free.Take(cancellationToken);
                var filled = input.ReadAtLeast(buffer, ChunkSize, throwOnEndOfStream: false);
                if (filled == 0)
                {
                    return;
                }
                full.Add((buffer, filled), cancellationToken);
                if (filled < ChunkSize)
                {
                    return;
                }
            }
        }
        finally
        {
            full.CompleteAdding();
        }
    }

    private void Remember(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= TrailerSize)
        {
            chunk[^TrailerSize..].CopyTo(_trailer);
            return;
        }
        _trailer.AsSpan(chunk.Length).CopyTo(_trailer);
        chunk.CopyTo(_trailer.AsSpan(TrailerSize - chunk.Length));
    }
}
