namespace Cdi.Cli.UploadClient;

/// <summary>What <c>cdi upload</c> was asked to do, checked.</summary>
internal sealed record UploadOptions
{
    public required string DataVolume { get; init; }
    public string? Namespace { get; init; }
    public required string ImagePath { get; init; }
    public string? Size { get; init; }
    public string? StorageClass { get; init; }
    public string? AccessMode { get; init; }
    public bool NoCreate { get; init; }
    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }
    public Uri? ProxyUrl { get; init; }
    public bool Insecure { get; init; }
    /// <summary><c>ALGO:HEX</c>; null to compute sha256 of the file.</summary>
    public string? Checksum { get; init; }
    public TimeSpan Wait { get; init; } = TimeSpan.FromMinutes(5);
    public int MaxRetries { get; init; } = 8;
}
