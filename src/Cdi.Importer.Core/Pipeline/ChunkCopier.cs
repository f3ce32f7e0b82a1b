using System.Buffers;
using Cdi.Importer.Core.Targets;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>
/// The hot loop: reads fixed-size pooled chunks and writes them sparsely, reading the next chunk while the current one
/// is written. Memory stays at two chunks whatever the input.
/// </summary>
public sealed class ChunkCopier
{
    public const int ChunkSize = 4 << 20;
    private const int TrailerSize = 512;
    private readonly byte[] _trailer = new byte[TrailerSize];

    /// <summary>The last (up to) 512 bytes copied: where a fixed VHD keeps its footer.</summary>
    public ReadOnlySpan<byte> Trailer => _trailer.AsSpan(TrailerSize - (int)Math.Min(TrailerSize, Copied), (int)Math.Min(TrailerSize, Copied));

    public long Copied { get; private set; }

    /// <summary>Copies everything, failing through <paramref name="onLimit"/> as soon as the output would pass <paramref name="limit"/>.</summary>
    public async Task CopyAsync(Stream input, SparseWriter writer, long limit, Action onLimit, CancellationToken cancellationToken)
    {
        var current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var next = ArrayPool<byte>.Shared.Rent(ChunkSize);
        Task<int>? pending = null;
        try
        {
            var n = await FillAsync(input, current, cancellationToken).ConfigureAwait(false);
            while (n > 0)
            {
                if (Copied + n > limit)
                {
                    onLimit();
                }
                var buffer = next;
                // Decoders often read synchronously; run the next read on the pool so it overlaps this write.
                pending = Task.Run(() => FillAsync(input, buffer, cancellationToken), cancellationToken);
                writer.Write(Copied, current.AsSpan(0, n));
                Remember(current.AsSpan(0, n));
                Copied += n;
                n = await pending.ConfigureAwait(false);
                pending = null;
                (current, next) = (next, current);
            }
            writer.Flush();
        }
        finally
        {
            if (pending is not null)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The write failed first; that failure is the one to report.
                }
            }
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
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

    private static async Task<int> FillAsync(Stream input, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < ChunkSize)
        {
            var n = await input.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            filled += n;
        }
        return filled;
    }
}
