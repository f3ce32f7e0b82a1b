using Cdi.Importer.Core.Network;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Cli.Progress;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Sources.Registry;
using Cdi.Kube.Local;

namespace Cdi.Cli.Commands;

/// <summary>
/// <c>cdi importer</c>: what an importer pod runs. Reads the typed <see cref="ImporterSpec"/> from its environment,
/// imports with JSON progress on stderr (the container log the controller reads progress from) and reports an
/// <see cref="ImporterResult"/> as the termination message.
/// </summary>
internal static class ImporterPodCommand
{
    private const int TerminationMessageLimit = 4096;

    public static Command Create()
    {
        var command = new Command("importer", "Run as an importer pod: read CDI_IMPORTER_SPEC, import, write the result to the termination log");
        command.SetAction(async (_, cancellationToken) =>
        {
            var result = await RunAsync(cancellationToken).ConfigureAwait(false);
            WriteTerminationMessage(result);
            if (!result.Succeeded)
            {
                Console.Error.WriteLine($"error: {result.Message}");
            }
            else
            {
                Console.Out.WriteLine(result.Message);
            }
            return result.Succeeded ? 0 : ExitCode(result);
        });
        return command;
    }

    private static int ExitCode(ImporterResult result) =>
        Enum.TryParse<ImportFailureReason>(result.Reason, out var reason) ? ImportFailureReasons.ExitCode(reason) : 1;

    private static async Task<ImporterResult> RunAsync(CancellationToken cancellationToken)
    {
        ImporterSpec spec;
        try
        {
            var json = Environment.GetEnvironmentVariable(ImporterSpec.EnvironmentVariable)
                ?? throw new ImportException(ImportFailureReason.InvalidArgument, $"{ImporterSpec.EnvironmentVariable} is not set");
            spec = JsonSerializer.Deserialize(json, ApiJsonContext.Default.ImporterSpec)
                ?? throw new ImportException(ImportFailureReason.InvalidArgument, "empty importer spec");
            if (spec.Version != ImporterSpec.CurrentVersion)
            {
                ImportException.Throw(ImportFailureReason.InvalidArgument, $"importer spec version {spec.Version} is not supported (expected {ImporterSpec.CurrentVersion})");
            }
        }
        catch (JsonException e)
        {
            return Failure(new ImportException(ImportFailureReason.InvalidArgument, $"importer spec is not valid JSON: {e.Message}"));
        }
        catch (ImportException e)
        {
            return Failure(e);
        }

        try
        {
            var request = new ImportRequest(
                spec.Source,
                LocalPaths.Resolve(spec.Target),
                spec.Size,
                spec.VolumeMode == "Block" ? VolumeMode.Block : VolumeMode.Filesystem,
                spec.ContentType == "archive" ? ContentType.Archive : ContentType.Kubevirt,
                spec.Checksum is { } c ? ExpectedChecksum.Parse(c) : null,
                decimal.Parse(spec.FilesystemOverhead, CultureInfo.InvariantCulture),
                spec.Scratch is { } s ? LocalPaths.Resolve(s) : null,
                spec.Preallocation,
                ScratchInTarget: false);
            var network = new NetworkSettings
            {
                CertDir = spec.CertDir is { } cert ? LocalPaths.Resolve(cert) : null,
                InsecureSkipTlsVerify = spec.InsecureSkipTlsVerify,
                SecretDir = spec.SecretDir is { } secret ? LocalPaths.Resolve(secret) : null,
                Headers = spec.ExtraHeaders,
                HeaderDirs = [.. spec.ExtraHeaderDirs.Select(d => LocalPaths.Resolve(d))],
                Proxy = spec.Proxy,
                NoProxy = spec.NoProxy,
                // Pods import on users' behalf: private networks are denied unless CDIConfig allows them.
                DenyPrivateNetworks = true,
                AllowedNetworks = spec.AllowedNetworks,
                IdleTimeoutSeconds = spec.IdleTimeoutSeconds,
            };
            // Plain lines in the container log; the controller's progress parser reads only the JSON ones.
            var httpOptions = network.ToOptions(retry => Console.Error.WriteLine(
                $"warning: {retry.Cause.ReplaceLineEndings(" ")}; retrying in {retry.Delay.TotalSeconds:0.#} s"));
            using var http = ImportHttpClient.Create(httpOptions);
            var remote = new RemoteSourceOptions(network.CertDir, network.SecretDir,
                spec.InsecureRegistries, spec.RegistryMirrors.Select(RegistryMirror.Parse).ToList(), spec.Platform, spec.S3Endpoint);
            var r = await ImporterFactory.Create(http, httpOptions, remote).ImportAsync(request, new JsonProgressSink(Console.Error), cancellationToken).ConfigureAwait(false);
            return new ImporterResult
            {
                Succeeded = true,
                Message = "Import Complete",
                Format = r.Format?.ToString().ToLowerInvariant(),
                VirtualSize = r.VirtualSize,
                BytesRead = r.BytesRead,
                BytesWritten = r.BytesWritten,
                Preallocated = r.Preallocated,
                Checksum = r.Checksum,
                SourceUsed = r.SourceUsed,
            };
        }
        catch (ImportException e)
        {
            return Failure(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Failure(new ImportException(ImportFailureReason.TargetError, e.Message));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The controller must always get a result it can read, whatever went wrong.
            return Failure(new ImportException(ImportFailureReason.Internal, $"{e.GetType().Name}: {e.Message}"));
        }
    }

    private static ImporterResult Failure(ImportException e) => new()
    {
        Succeeded = false,
        Reason = e.Reason.ToString(),
        Message = e.Message.ReplaceLineEndings(" "),
        Retryable = ImportFailureReasons.IsRetryable(e.Reason),
        ScratchSpaceRequired = e.Reason == ImportFailureReason.ScratchSpaceRequired,
    };

    private static void WriteTerminationMessage(ImporterResult result)
    {
        var path = LocalPaths.TerminationLog();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, ApiJsonContext.Default.ImporterResult);
        if (bytes.Length > TerminationMessageLimit)
        {
            // Kubernetes truncates longer messages; shorten ours so it stays valid JSON.
            bytes = JsonSerializer.SerializeToUtf8Bytes(result with { Message = result.Message[..Math.Min(result.Message.Length, 1024)] },
                ApiJsonContext.Default.ImporterResult);
        }
        try
        {
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"cannot write the termination message to {path}: {e.Message}");
        }
    }
}
