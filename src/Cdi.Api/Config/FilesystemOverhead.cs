namespace Cdi.Api.Config;

/// <summary>Fractions as strings ("0.06"), global and per storage class.</summary>
public sealed record FilesystemOverhead
{
    public string? Global { get; set; }
    public Dictionary<string, string>? StorageClass { get; set; }
}
