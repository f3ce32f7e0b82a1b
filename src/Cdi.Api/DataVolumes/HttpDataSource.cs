namespace Cdi.Api.DataVolumes;

public sealed record HttpDataSource
{
    public string Url { get; set; } = "";
    public string? SecretRef { get; set; }
    public string? CertConfigMap { get; set; }
    public List<string>? ExtraHeaders { get; set; }
    public List<string>? SecretExtraHeaders { get; set; }

    /// <summary><c>ALGO:HEX</c> of the bytes as served (upstream v1.65+).</summary>
    public string? Checksum { get; set; }

    /// <summary>Accept any server certificate (upstream main, 2026): the explicit opt-out of TLS verification.</summary>
    public bool? InsecureSkipVerify { get; set; }
}
