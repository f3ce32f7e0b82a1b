namespace Cdi.Testing.Registry;

public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
