using System.Net;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Sources.Registry;
using Cdi.Kube.Local;
using Cdi.Worker.Progress;
using Cdi.Worker.Results;

namespace Cdi.Worker.Importing;

/// <summary>
/// <c>cdi-worker importer</c>: what an importer pod runs. Reads the typed <see cref="ImporterSpec"/> from its environment,
/// imports while serving <see cref="ImportProgress"/> on its pod IP (and JSON progress lines on stderr, for people)
/// and reports an <see cref="ImporterResult"/> as the termination message.
/// </summary>
internal static class ImporterCommand
{
    public static WorkerCommand Command { get; } = new("importer",
        "Run as an importer pod: read CDI_IMPORTER_SPEC, import, write the result to the termination log", RunAsync);

    private static async Task<int> RunAsync(CancellationToken cancellationToken) =>
        TerminationMessage.Report(await ImportAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The spec from the environment, or the one line that says why there is none to work with: unset, not JSON, no or
    /// an unknown version, a field out of range. Nothing falls back to a default.
    /// </summary>
    internal static ImporterSpec? ReadSpec(string? json, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            problem = $"{ImporterSpec.EnvironmentVariable} is not set";
            return null;
        }
        try
        {
            var spec = JsonSerializer.Deserialize(json, ApiJsonContext.Default.ImporterSpec);
            problem = spec is null ? "importer spec is null" : spec.Problem();
            return problem is null ? spec : null;
        }
        catch (JsonException e)
        {
            problem = $"importer spec is not valid JSON: {e.Message}";
            return null;
        }
    }

    private static async Task<(ImporterResult Result, int ExitCode)> ImportAsync(CancellationToken cancellationToken)
    {
        if (ReadSpec(Environment.GetEnvironmentVariable(ImporterSpec.EnvironmentVariable), out var problem) is not { } spec)
        {
            return (ImporterResults.InvalidSpec(problem!), ImportFailureReasons.ExitCode(ImportFailureReason.InvalidArgument));
        }

        // Progress is served on the pod's own address (status.podIP) for the controller; the log keeps the JSON lines.
        var progress = new ServedProgress(new JsonProgressSink(Console.Error));
        await using var server = IPAddress.TryParse(Environment.GetEnvironmentVariable(ImportProgress.PodIpVariable), out var podIP)
            ? new DeferredProgressServer(podIP, ImportProgress.Port, progress, spec.OwnerUid, TimeProvider.System)
            : null;
        try
        {
            var request = ToRequest(spec, spec.Checksum is { } c ? ExpectedChecksum.Parse(c) : null);
            var network = new NetworkSettings
            {
                CertDir = spec.CertDir is { } cert ? LocalPaths.Resolve(cert) : null,
                InsecureSkipTlsVerify = spec.InsecureSkipTlsVerify,
                SecretDir = spec.SecretDir is { } secret ? LocalPaths.Resolve(secret) : null,
                Headers = spec.ExtraHeaders,
                HeaderDirs = [.. spec.ExtraHeaderDirs.Select(d => LocalPaths.Resolve(d))],
                Proxy = spec.Proxy,
                NoProxy = spec.NoProxy,
                // Pods import on users' behalf: cloud metadata is always denied (unless allowed); private ranges only
                // when the administrator asked for the strict guard in CDIConfig.
                Guard = spec.DenyPrivateNetworks ? NetworkGuard.PrivateNetworks : NetworkGuard.CloudMetadata,
                AllowedNetworks = spec.AllowedNetworks,
                IdleTimeoutSeconds = spec.IdleTimeoutSeconds,
            };
            // Plain lines in the container log; the controller's progress parser reads only the JSON ones.
            var httpOptions = network.ToOptions(retry => Console.Error.WriteLine(
                $"warning: {retry.Cause.ReplaceLineEndings(" ")}; retrying in {retry.Delay.TotalSeconds:0.#} s"));
            using var http = ImportHttpClient.Create(httpOptions);
            var remote = new RemoteSourceOptions(network.CertDir, network.SecretDir,
                spec.InsecureRegistries, spec.RegistryMirrors.Select(RegistryMirror.Parse).ToList(), spec.Platform, spec.S3Endpoint);
            var r = await ImporterFactory.Create(http, httpOptions, remote).ImportAsync(request, progress, cancellationToken).ConfigureAwait(false);
            return (ImporterResults.Success(r, "Import Complete"), 0);
        }
        catch (ImportException e)
        {
            return ImporterResults.Failure(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ImporterResults.Failure(new ImportException(ImportFailureReason.TargetError, e.Message));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The controller must always get a result it can read, whatever went wrong.
            return ImporterResults.Failure(new ImportException(ImportFailureReason.Internal, $"{e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>The import a spec asks for (paths as this process sees them); an upload server passes the checksum its client sent.</summary>
    internal static ImportRequest ToRequest(ImporterSpec spec, ExpectedChecksum? checksum) => new(
        spec.Source,
        LocalPaths.Resolve(spec.Target),
        spec.Size,
        spec.VolumeMode == "Block" ? VolumeMode.Block : VolumeMode.Filesystem,
        spec.ContentType == "archive" ? ContentType.Archive : ContentType.Kubevirt,
        checksum,
        (decimal)spec.FilesystemOverhead,
        spec.Scratch is { } s ? LocalPaths.Resolve(s) : null,
        spec.Preallocation,
        ScratchInTarget: false,
        RawCopy: spec.RawCopy);

}
