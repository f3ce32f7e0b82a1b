namespace Cdi.Kube.Models;

public sealed record LimitRangeItem
{
    public string Type { get; init; } = "";
    public Dictionary<string, string>? Default { get; init; }
    public Dictionary<string, string>? DefaultRequest { get; init; }
    public Dictionary<string, string>? Max { get; init; }
    public Dictionary<string, string>? Min { get; init; }
}
