namespace Cdi.Api.StorageProfiles;

public sealed record ClaimPropertySet
{
    public List<string>? AccessModes { get; set; }
    public string? VolumeMode { get; set; }
}
