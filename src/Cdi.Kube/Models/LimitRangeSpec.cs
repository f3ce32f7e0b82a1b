namespace Cdi.Kube.Models;

public sealed record LimitRangeSpec
{
    public List<LimitRangeItem> Limits { get; init; } = [];
}
