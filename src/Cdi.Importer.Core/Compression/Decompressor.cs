using System.IO.Compression;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression;

public static class Decompressor
{
    public static Stream Open(CompressionKind kind, Stream inner, DecoderLimits limits) => kind switch
    {
        CompressionKind.Gzip => new GZipStream(inner, CompressionMode.Decompress),
        _ => throw new ImportException(ImportFailureReason.UnsupportedFormat, $"{kind} not yet supported"),
    };
}
