namespace Cdi.Api.DataVolumes;

public sealed record RegistryDataSource
{
    public string? Url { get; set; }
    public string? ImageStream { get; set; }
    public string? PullMethod { get; set; }
    public string? SecretRef { get; set; }
    public string? CertConfigMap { get; set; }

    /// <summary>Which image of a multi-platform index to import; linux/amd64 when unset.</summary>
    public RegistryPlatform? Platform { get; set; }
}
