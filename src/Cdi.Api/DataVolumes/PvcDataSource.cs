namespace Cdi.Api.DataVolumes;

public sealed record PvcDataSource
{
    public string? Namespace { get; set; }
    public string Name { get; set; } = "";
}
