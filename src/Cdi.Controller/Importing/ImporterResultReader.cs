using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Kube.Models;

namespace Cdi.Controller.Importing;

/// <summary>
/// Reads a worker's typed result (importer, upload server, clone source) from its container's termination message. Only a result of the current version,
/// with every enum value known, counts; anything else is "no result", and <see cref="Problem"/> says why in one line.
/// </summary>
public static class ImporterResultReader
{
    public static ContainerStateTerminated? Terminated(Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name is "importer" or DataVolumes.Annotations.UploadServerRole or DataVolumes.Annotations.CloneSourceRole)?.State?.Terminated;

    public static ImporterResult? Read(Pod pod) => Parse(Terminated(pod)?.Message, out _);

    /// <summary>Why the termination message, which looks like a result, is not one; null when it is one or is plain text.</summary>
    public static string? Problem(Pod pod)
    {
        Parse(Terminated(pod)?.Message, out var problem);
        return problem;
    }

    public static ImporterResult? Parse(string? message, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(message) || message.TrimStart()[0] != '{')
        {
            return null; // plain text (the log tail): not a result, and not a malformed one either
        }
        try
        {
            var result = JsonSerializer.Deserialize(message, ApiJsonContext.Default.ImporterResult);
            problem = result?.Version switch
            {
                null => $"importer result refused: it has no version (expected {ImporterResult.CurrentVersion})",
                ImporterResult.CurrentVersion => null,
                var v => $"importer result refused: version {v} is not supported (expected {ImporterResult.CurrentVersion})",
            };
            return problem is null ? result : null;
        }
        catch (JsonException e)
        {
            problem = $"importer result refused: {e.Message.ReplaceLineEndings(" ")}";
            return null;
        }
    }
}
