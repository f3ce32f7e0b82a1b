namespace Cdi.Api.StorageProfiles;

public sealed record StorageProfileStatus
{
    public string? StorageClass { get; set; }
    public string? Provisioner { get; set; }
    public string? CloneStrategy { get; set; }
    public List<ClaimPropertySet>? ClaimPropertySets { get; set; }
}
