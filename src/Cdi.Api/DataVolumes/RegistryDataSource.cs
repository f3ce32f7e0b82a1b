namespace Cdi.Api.DataVolumes;

public sealed record RegistryDataSource
{
    public string? Url { get; set; }
    public string? ImageStream { get; set; }
    public string? PullMethod { get; set; }
    public string? SecretRef { get; set; }
    public string? CertConfigMap { get; set; }

    /// <summary>
    /// Not upstream's (its registry source has no checksum): kept in the schema only so admission refuses it with a
    /// line saying so, rather than the field being pruned and the user believing the disk was checked against it.
    /// </summary>
    public string? Checksum { get; set; }

    /// <summary>Which image of a multi-platform index to import; linux/amd64 when unset.</summary>
    public RegistryPlatform? Platform { get; set; }
}
