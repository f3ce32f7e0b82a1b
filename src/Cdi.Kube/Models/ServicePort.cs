using System.Text.Json;

namespace Cdi.Kube.Models;

public sealed record ServicePort
{
    public string? Name { get; init; }
    public string? Protocol { get; init; }
    public int Port { get; init; }
    /// <summary>A number or a port name: kept as raw JSON.</summary>
    public JsonElement? TargetPort { get; init; }
    public int? NodePort { get; init; }
}
