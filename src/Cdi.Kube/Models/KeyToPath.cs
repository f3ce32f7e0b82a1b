namespace Cdi.Kube.Models;

public sealed record KeyToPath
{
    public string Key { get; init; } = "";
    public string Path { get; init; } = "";
}
