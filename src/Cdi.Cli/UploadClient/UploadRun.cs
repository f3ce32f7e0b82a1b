using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Api.Upload;
using Cdi.Cli.Progress;
using Cdi.Controller.DataVolumes;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cli.UploadClient;

/// <summary>
/// virtctl image-upload dv's sequence: make sure the upload DataVolume exists, wait until its claim's upload pod is
/// ready, get a token, send the file through the proxy (resuming after drops), then wait for the DataVolume's result.
/// </summary>
internal sealed class UploadRun(UploadOptions options, KubeConfig config, IProgressSink progress, TimeProvider time, TextWriter log)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private string Ns => options.Namespace ?? config.Namespace;
    private string Name => options.DataVolume;

    public async Task<string> RunAsync(CancellationToken ct)
    {
        using var kube = new KubeClient(config, time);
        await EnsureDataVolumeAsync(kube, ct).ConfigureAwait(false);
        await WaitUntilAsync(kube, async () =>
        {
            var claim = await kube.TryGetAsync(KubeResources.PersistentVolumeClaims, Name, Ns, ct).ConfigureAwait(false);
            return claim?.Metadata.Annotations?.GetValueOrDefault(Annotations.PodReady) == "true";
        }, "its upload pod to be ready", ct).ConfigureAwait(false);
        var token = await TokenAsync(kube, ct).ConfigureAwait(false);
        var proxy = options.ProxyUrl ?? await ProxyUrlAsync(kube, ct).ConfigureAwait(false);
        var checksum = options.Checksum ?? await Sha256Async(ct).ConfigureAwait(false);
        var total = new FileInfo(options.ImagePath).Length;

        var sent = new SentBytes();
        string answer;
        using (var handler = KubeHttpHandlerFactory.Create(ProxyTrust()))
        using (var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan })
        using (var tracker = new ProgressTracker(progress, time, TimeSpan.FromMilliseconds(500)))
        {
            tracker.EnterPhase(ImportPhase.TransferDataFile, total, () => sent.Position);
            try
            {
                answer = await new ProxyUpload(http, proxy, token, options, sent, time, log).SendAsync(checksum, total, ct).ConfigureAwait(false);
                tracker.EnterPhase(ImportPhase.Complete, total, () => total);
            }
            finally
            {
                progress.Finish();
            }
        }
        var dv = await WaitForResultAsync(kube, ct).ConfigureAwait(false);
        return $"uploaded {options.ImagePath} ({total} bytes) into DataVolume {Ns}/{Name}: {dv.Status?.Phase} ({answer})";
    }

    private async Task EnsureDataVolumeAsync(KubeClient kube, CancellationToken ct)
    {
        var dv = await kube.TryGetAsync(CdiResources.DataVolumes, Name, Ns, ct).ConfigureAwait(false);
        if (dv is null)
        {
            if (options.NoCreate)
            {
                throw new UploadFailure($"DataVolume {Ns}/{Name} does not exist (and --no-create was given)");
            }
            if (options.Size is null)
            {
                throw new UploadFailure($"DataVolume {Ns}/{Name} does not exist: give --size to create it", 2);
            }
            var storage = new PersistentVolumeClaimSpec
            {
                Resources = new VolumeResourceRequirements { Requests = new Dictionary<string, string> { ["storage"] = options.Size } },
                StorageClassName = options.StorageClass,
                AccessModes = options.AccessMode is { } mode ? [mode] : null,
            };
            using var empty = JsonDocument.Parse("{}");
            await kube.CreateAsync(CdiResources.DataVolumes, new DataVolume
            {
                Metadata = new ObjectMeta { Name = Name, Namespace = Ns },
                Spec = new DataVolumeSpec { Source = new DataVolumeSource { Upload = empty.RootElement.Clone() }, Storage = storage },
            }, Ns, ct).ConfigureAwait(false);
            log.WriteLine($"created DataVolume {Ns}/{Name} (upload, {options.Size})");
            return;
        }
        if (dv.Spec.Source?.Upload is null)
        {
            throw new UploadFailure($"DataVolume {Ns}/{Name} exists but its source is not upload");
        }
        if (dv.Status?.Phase == "Succeeded")
        {
            throw new UploadFailure($"DataVolume {Ns}/{Name} already succeeded: nothing to upload into");
        }
    }

    private async Task<string> TokenAsync(KubeClient kube, CancellationToken ct)
    {
        var request = new UploadTokenRequest
        {
            Metadata = new ObjectMeta { Name = "token-for-cdi-upload", Namespace = Ns },
            Spec = new UploadTokenRequestSpec { PvcName = Name },
        };
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, ApiJsonContext.Default.UploadTokenRequest));
        body.Headers.ContentType = new("application/json");
        try
        {
            using var response = await kube.SendRawAsync(HttpMethod.Post,
                $"apis/{UploadTokenRequest.Group}/{UploadTokenRequest.Version}/namespaces/{Ns}/{UploadTokenRequest.Plural}", body, false, ct).ConfigureAwait(false);
            var answer = JsonSerializer.Deserialize(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), ApiJsonContext.Default.UploadTokenRequest);
            return answer?.Status?.Token is { Length: > 0 } token ? token : throw new UploadFailure("upload token refused: the answer carries no status.token");
        }
        catch (KubeApiException e)
        {
            throw new UploadFailure($"upload token refused: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static async Task<Uri> ProxyUrlAsync(KubeClient kube, CancellationToken ct)
    {
        var cdiConfig = await kube.TryGetAsync(CdiResources.CdiConfigs, "config", null, ct).ConfigureAwait(false);
        var url = cdiConfig?.Status?.UploadProxyUrl;
        if (string.IsNullOrEmpty(url))
        {
            throw new UploadFailure("CDIConfig config names no status.uploadProxyURL: give --uploadproxy-url", 2);
        }
        // virtctl accepts a bare host:port there.
        var text = url.Contains("://", StringComparison.Ordinal) ? url : "https://" + url;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new UploadFailure($"CDIConfig's uploadProxyURL \"{url}\" is not a URL: give --uploadproxy-url");
    }

    /// <summary>The proxy is trusted as the API server is (its CA from the kubeconfig), or not checked with --insecure; no API credentials go to it.</summary>
    private KubeConfig ProxyTrust() => config with
    {
        Token = null,
        TokenFile = null,
        ClientCertificatePem = null,
        ClientKeyPem = null,
        TlsServerName = null,
        InsecureSkipTlsVerify = options.Insecure || config.InsecureSkipTlsVerify,
    };

    private async Task<string> Sha256Async(CancellationToken ct)
    {
        var file = new FileStream(options.ImagePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct).ConfigureAwait(false));
        }
    }

    private async Task<DataVolume> WaitForResultAsync(KubeClient kube, CancellationToken ct)
    {
        DataVolume? dv = null;
        await WaitUntilAsync(kube, async () =>
        {
            dv = await kube.TryGetAsync(CdiResources.DataVolumes, Name, Ns, ct).ConfigureAwait(false);
            return dv?.Status?.Phase == "Succeeded";
        }, "it to succeed", ct).ConfigureAwait(false);
        return dv!;
    }

    /// <summary>Polls until <paramref name="done"/>; a Failed DataVolume or the --wait limit ends it with the reason.</summary>
    private async Task WaitUntilAsync(KubeClient kube, Func<Task<bool>> done, string what, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + options.Wait;
        while (!await done().ConfigureAwait(false))
        {
            var dv = await kube.TryGetAsync(CdiResources.DataVolumes, Name, Ns, ct).ConfigureAwait(false)
                ?? throw new UploadFailure($"DataVolume {Ns}/{Name} was deleted while waiting for {what}");
            if (dv.Status?.Phase == "Failed")
            {
                throw new UploadFailure($"DataVolume {Ns}/{Name} failed: {Reason(dv)}");
            }
            if (time.GetUtcNow() >= deadline)
            {
                throw new UploadFailure(string.Create(CultureInfo.InvariantCulture,
                    $"DataVolume {Ns}/{Name} is {dv.Status?.Phase ?? "without a phase"} after {options.Wait.TotalSeconds:0} s waiting for {what} ({Reason(dv)})"));
            }
            await Task.Delay(PollInterval, time, ct).ConfigureAwait(false);
        }
    }

    private static string Reason(DataVolume dv)
    {
        var condition = dv.Status?.Conditions?.FirstOrDefault(c => c.Type == "Running" && !string.IsNullOrEmpty(c.Message))
            ?? dv.Status?.Conditions?.FirstOrDefault(c => !string.IsNullOrEmpty(c.Message));
        var text = condition is null ? "no reason given" : $"{condition.Reason}: {condition.Message}";
        return new StringBuilder(text).Replace('\n', ' ').Replace('\r', ' ').ToString().Trim();
    }
}
