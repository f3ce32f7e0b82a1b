namespace Cdi.Api.DataVolumes;

public sealed record RegistryDataSource
{
    public string? Url { get; set; }
    public string? ImageStream { get; set; }
    public string? PullMethod { get; set; }
    public string? SecretRef { get; set; }
    public string? CertConfigMap { get; set; }
}
