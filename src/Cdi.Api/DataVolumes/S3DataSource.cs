namespace Cdi.Api.DataVolumes;

public sealed record S3DataSource
{
    public string Url { get; set; } = "";
    public string? SecretRef { get; set; }
    public string? CertConfigMap { get; set; }
}
