using System.IO.Compression;
using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats.Qcow2;

/// <summary>
/// Inflates one compressed cluster: raw deflate (qcow2's zlib type) or one zstd frame. The stored size is rounded up to
/// sectors, so bytes after the compressed data are padding and never read.
/// </summary>
internal sealed unsafe class Qcow2ClusterDecoder(bool zstd) : IDisposable
{
    private ZstdDStreamHandle? _zstd;

    public void Decode(ReadOnlySpan<byte> compressed, Span<byte> cluster)
    {
        if (zstd)
        {
            DecodeZstd(compressed, cluster);
            return;
        }
        fixed (byte* p = compressed)
        {
            using var input = new UnmanagedMemoryStream(p, compressed.Length);
            using var inflate = new DeflateStream(input, CompressionMode.Decompress);
            int n;
            try
            {
                n = inflate.ReadAtLeast(cluster, cluster.Length, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e)
            {
                throw new ImportException(ImportFailureReason.CorruptImage, $"qcow2 compressed cluster is corrupt: {e.Message}", e);
            }
            if (n != cluster.Length)
            {
                ImportException.Throw(ImportFailureReason.CorruptImage, $"qcow2 compressed cluster inflates to {n} bytes, not {cluster.Length}");
            }
        }
    }

    private void DecodeZstd(ReadOnlySpan<byte> compressed, Span<byte> cluster)
    {
        _zstd ??= LibZstd.CreateDStream();
        LibZstd.Reset(_zstd, LibZstd.ResetSessionOnly);
        fixed (byte* src = compressed)
        fixed (byte* dst = cluster)
        {
            var input = new ZstdInBuffer { Src = src, Size = (nuint)compressed.Length, Pos = 0 };
            var output = new ZstdOutBuffer { Dst = dst, Size = (nuint)cluster.Length, Pos = 0 };
            while (output.Pos < output.Size)
            {
                var before = output.Pos + input.Pos;
                var code = LibZstd.DecompressStream(_zstd, &output, &input);
                if (LibZstd.IsError(code) != 0)
                {
                    ImportException.Throw(ImportFailureReason.CorruptImage, $"qcow2 zstd cluster is corrupt: {LibZstd.ErrorName(code)}");
                }
                if (code == 0 || output.Pos + input.Pos == before)
                {
                    break;
                }
            }
            if (output.Pos != output.Size)
            {
                ImportException.Throw(ImportFailureReason.CorruptImage, $"qcow2 zstd cluster inflates to {output.Pos} bytes, not {cluster.Length}");
            }
        }
    }

    public void Dispose() => _zstd?.Dispose();
}
