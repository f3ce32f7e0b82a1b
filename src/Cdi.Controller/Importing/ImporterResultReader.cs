using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Kube.Models;

namespace Cdi.Controller.Importing;

/// <summary>Reads the importer's typed result from its container's termination message; anything else is not a result.</summary>
public static class ImporterResultReader
{
    public static ContainerStateTerminated? Terminated(Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "importer")?.State?.Terminated;

    public static ImporterResult? Read(Pod pod)
    {
        var message = Terminated(pod)?.Message;
        if (string.IsNullOrWhiteSpace(message) || message.TrimStart()[0] != '{')
        {
            return null;
        }
        try
        {
            var result = JsonSerializer.Deserialize(message, ApiJsonContext.Default.ImporterResult);
            return result?.Version == ImporterSpec.CurrentVersion ? result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
