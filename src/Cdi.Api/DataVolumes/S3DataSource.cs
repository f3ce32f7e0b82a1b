namespace Cdi.Api.DataVolumes;

public sealed record S3DataSource
{
    public string Url { get; set; } = "";
    public string? SecretRef { get; set; }
    public string? CertConfigMap { get; set; }

    /// <summary><c>ALGO:HEX</c> of the object's bytes, verified as for http (cdi's addition).</summary>
    public string? Checksum { get; set; }
}
