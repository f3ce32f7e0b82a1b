namespace Cdi.Kube.Models;

public sealed record EmptyDirVolumeSource
{
    public string? Medium { get; init; }
    public string? SizeLimit { get; init; }
}
