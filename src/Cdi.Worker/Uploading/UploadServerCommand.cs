using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Worker.Hosting;
using Cdi.Worker.Importing;
using Cdi.Worker.Progress;
using Cdi.Worker.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdi.Worker.Uploading;

/// <summary>
/// <c>cdi-worker upload-server</c>: what an upload pod runs. Reads the typed <see cref="UploadServerSpec"/>, serves the upload
/// paths on its pod IP (port <see cref="UploadServerSpec.Port"/>) and its progress as an importer does, and once an
/// upload is in the volume exits with an <see cref="ImporterResult"/> as the termination message.
/// </summary>
internal static class UploadServerCommand
{
    public static WorkerCommand Command { get; } = new("upload-server",
        "Run as an upload pod: read CDI_UPLOAD_SERVER_SPEC, receive one upload, write the result to the termination log", RunAsync);

    private static async Task<int> RunAsync(CancellationToken cancellationToken) =>
        TerminationMessage.Report(await ServeAsync(cancellationToken).ConfigureAwait(false));

    internal static UploadServerSpec? ReadSpec(string? json, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            problem = $"{UploadServerSpec.EnvironmentVariable} is not set";
            return null;
        }
        try
        {
            var spec = JsonSerializer.Deserialize(json, ApiJsonContext.Default.UploadServerSpec);
            problem = spec is null ? "upload server spec is null" : spec.Problem();
            return problem is null ? spec : null;
        }
        catch (JsonException e)
        {
            problem = $"upload server spec is not valid JSON: {e.Message}";
            return null;
        }
    }

    private static async Task<(ImporterResult, int)> ServeAsync(CancellationToken cancellationToken)
    {
        if (ReadSpec(Environment.GetEnvironmentVariable(UploadServerSpec.EnvironmentVariable), out var problem) is not { } spec)
        {
            return (ImporterResults.InvalidSpec(problem!), ImportFailureReasons.ExitCode(ImportFailureReason.InvalidArgument));
        }
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(spec.TokenPublicKey);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return (ImporterResults.InvalidSpec($"upload server spec tokenPublicKey is not a PEM public key: {e.Message}"), 2);
        }
        var address = IPAddress.TryParse(Environment.GetEnvironmentVariable(ImportProgress.PodIpVariable), out var podIP) ? podIP : IPAddress.Loopback;
        var progress = new ServedProgress(new JsonProgressSink(Console.Error));
        await using var progressServer = new DeferredProgressServer(address, ImportProgress.Port, progress, spec.Importer!.OwnerUid, TimeProvider.System);
        using var unusedHttp = new HttpClient();
        var server = new UploadServer(spec, key, TimeProvider.System, progress, unusedHttp, cancellationToken);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, UploadServerSpec.Port);
            k.AddServerHeader = false;
            // Disk images are large: the body is streamed into the importer, never buffered.
            k.Limits.MaxRequestBodySize = null;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        await using var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        Console.Error.WriteLine($"upload server for claim {spec.Namespace}/{spec.ClaimName} listening on {address}:{UploadServerSpec.Port}");
        try
        {
            var finished = await server.Finished.WaitAsync(cancellationToken).ConfigureAwait(false);
            // A graceful stop: the request that completed the upload gets its answer first.
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return finished;
        }
        catch (OperationCanceledException)
        {
            return ImporterResults.Failure(new ImportException(ImportFailureReason.Cancelled, "the upload server was stopped before an upload completed"));
        }
    }
}
