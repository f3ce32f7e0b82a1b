using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Importer.Core.Cloning;
using Cdi.Kube.Local;

namespace Cdi.Worker.Cloning;

/// <summary>
/// <c>cdi-worker clone-source</c>: what a clone source pod runs. Reads the typed <see cref="CloneSourceSpec"/> and the token,
/// and hands the work to <see cref="CloneSender"/>; the one-line outcome is the termination message.
/// </summary>
internal static class CloneSourceCommand
{
    public static WorkerCommand Command { get; } = new("clone-source",
        "Run as a clone source pod: read CDI_CLONE_SOURCE_SPEC, stream the volume to the target's upload server", RunAsync);

    private static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var (ok, message) = await CloneAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            File.WriteAllText(LocalPaths.TerminationLog(), message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cannot write the termination message: {e.Message}");
        }
        Console.Error.WriteLine(ok ? message : $"error: {message}");
        return ok ? 0 : 1;
    }

    private static async Task<(bool, string)> CloneAsync(CancellationToken cancellationToken)
    {
        CloneSourceSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(Environment.GetEnvironmentVariable(CloneSourceSpec.EnvironmentVariable) ?? "null", ApiJsonContext.Default.CloneSourceSpec);
        }
        catch (JsonException e)
        {
            return (false, $"clone source spec is not valid JSON: {e.Message}");
        }
        if ((spec is null ? $"{CloneSourceSpec.EnvironmentVariable} is not set" : spec.Problem()) is { } problem)
        {
            return (false, problem);
        }
        if (Environment.GetEnvironmentVariable(CloneSourceSpec.TokenVariable) is not { Length: > 0 } token)
        {
            return (false, $"{CloneSourceSpec.TokenVariable} is not set: the target's upload server takes no clone without it");
        }
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };
        Console.Error.WriteLine($"cloning {spec!.Description}");
        var result = await new CloneSender(http).SendAsync(LocalPaths.Resolve(spec.Source), spec.VolumeMode == "Block", new Uri(spec.UploadUrl), token, cancellationToken)
            .ConfigureAwait(false);
        return (result.Succeeded, result.Message);
    }
}
