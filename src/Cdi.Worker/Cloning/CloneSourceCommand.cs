using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Importer.Core.Cloning;
using Cdi.Importer.Core.Pipeline;
using Cdi.Kube.Local;
using Cdi.Worker.Results;

namespace Cdi.Worker.Cloning;

/// <summary>
/// <c>cdi-worker clone-source</c>: what a clone source pod runs. Reads the typed <see cref="CloneSourceSpec"/> and the token,
/// and hands the work to <see cref="CloneSender"/>; the outcome is an <see cref="ImporterResult"/> in the termination
/// message, the same typed contract as the target's upload server.
/// </summary>
internal static class CloneSourceCommand
{
    public static WorkerCommand Command { get; } = new("clone-source",
        "Run as a clone source pod: read CDI_CLONE_SOURCE_SPEC, stream the volume to the target's upload server", RunAsync);

    private static async Task<int> RunAsync(CancellationToken cancellationToken) =>
        TerminationMessage.Report(await CloneAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<(ImporterResult, int)> CloneAsync(CancellationToken cancellationToken)
    {
        var invalid = ImportFailureReasons.ExitCode(ImportFailureReason.InvalidArgument);
        CloneSourceSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(Environment.GetEnvironmentVariable(CloneSourceSpec.EnvironmentVariable) ?? "null", ApiJsonContext.Default.CloneSourceSpec);
        }
        catch (JsonException e)
        {
            return (ImporterResults.InvalidSpec($"clone source spec is not valid JSON: {e.Message}"), invalid);
        }
        if ((spec is null ? $"{CloneSourceSpec.EnvironmentVariable} is not set" : spec.Problem()) is { } problem)
        {
            return (ImporterResults.InvalidSpec(problem), invalid);
        }
        if (Environment.GetEnvironmentVariable(CloneSourceSpec.TokenVariable) is not { Length: > 0 } token)
        {
            return (ImporterResults.InvalidSpec($"{CloneSourceSpec.TokenVariable} is not set: the target's upload server takes no clone without it"), invalid);
        }
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };
        Console.Error.WriteLine($"cloning {spec!.Description}");
        try
        {
            var sent = await new CloneSender(http).SendAsync(LocalPaths.Resolve(spec.Source), spec.VolumeMode == "Block", new Uri(spec.UploadUrl), token, cancellationToken)
                .ConfigureAwait(false);
            return ImporterResults.Clone(sent);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ImporterResults.Failure(new ImportException(ImportFailureReason.Cancelled, "the clone source was stopped before the stream completed"));
        }
    }
}
