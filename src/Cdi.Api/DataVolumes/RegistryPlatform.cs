namespace Cdi.Api.DataVolumes;

/// <summary>Upstream's <c>source.registry.platform</c>: the architecture to pick from a multi-platform image (Linux).</summary>
public sealed record RegistryPlatform
{
    public string? Architecture { get; set; }
}
