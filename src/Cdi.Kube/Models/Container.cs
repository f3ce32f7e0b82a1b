using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record Container
{
    public string Name { get; init; } = "";
    public string? Image { get; init; }
    public string? ImagePullPolicy { get; init; }
    public List<string>? Command { get; init; }
    public List<string>? Args { get; init; }
    public string? WorkingDir { get; init; }
    public List<EnvVar>? Env { get; init; }
    public List<VolumeMount>? VolumeMounts { get; init; }
    public List<VolumeDevice>? VolumeDevices { get; init; }
    public ResourceRequirements? Resources { get; init; }
    public string? TerminationMessagePath { get; init; }
    public string? TerminationMessagePolicy { get; init; }
    public SecurityContext? SecurityContext { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
