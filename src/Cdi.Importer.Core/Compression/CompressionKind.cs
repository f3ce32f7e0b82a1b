namespace Cdi.Importer.Core.Compression;

public enum CompressionKind
{
    None,
    Gzip,
    Xz,
    Zstd,
    Bzip2,
}
