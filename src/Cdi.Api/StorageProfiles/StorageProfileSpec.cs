namespace Cdi.Api.StorageProfiles;

public sealed record StorageProfileSpec
{
    public string? CloneStrategy { get; set; }
    public List<ClaimPropertySet>? ClaimPropertySets { get; set; }
}
