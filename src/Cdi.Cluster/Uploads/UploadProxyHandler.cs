using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cdi.Api.Contracts;
using Cdi.Api.Upload;
using Cdi.Cluster.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Uploads;

/// <summary>
/// The local cluster's upload proxy, as upstream's <c>cdi-uploadproxy</c>: the bearer token says which claim; the
/// claim must be an upload target whose upload server is ready and not done; one upload at a time per claim; then the
/// request is streamed to that claim's upload server pod (its own loopback address) and the answer streamed back.
/// Every refusal is one line of text.
/// </summary>
internal sealed class UploadProxyHandler(ObjectStore store, ECDsa tokenKey, TimeProvider clock, HttpMessageInvoker http, ILogger logger)
{
    private const string UploadTarget = "cdi.kubevirt.io/storage.upload.target";
    private const string PodReady = "cdi.kubevirt.io/storage.pod.ready";
    private const string PodPhase = "cdi.kubevirt.io/storage.pod.phase";
    private const string UploadServerRole = "cdi-upload-server";

    /// <summary>How long a claim whose server is starting is waited for (upstream's proxy waits 10 s too).</summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(200);

    private static readonly string[] ForwardedRequestHeaders = ["Authorization", UploadPaths.ChecksumHeader, UploadPaths.ContentTypeHeader];
    private static readonly string[] ForwardedResponseHeaders = [UploadPaths.OffsetHeader, UploadPaths.LengthHeader];

    private readonly ConcurrentDictionary<string, byte> _inFlight = new();

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the upload server notices the broken stream and keeps what arrived.
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            logger.LogWarning("upload proxy: {Path}: {Message}", context.Request.Path, e.Message);
            if (!context.Response.HasStarted)
            {
                await Text(context, 502, $"the upload server could not be reached: {e.Message}").ConfigureAwait(false);
            }
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/healthz")
        {
            await Text(context, 200, "OK").ConfigureAwait(false);
            return;
        }
        if (UploadPaths.Mode(path) is null)
        {
            await Text(context, 404, $"no upload path {path}: use /v1beta1/upload, /v1beta1/upload-async, /v1beta1/upload-form or /v1beta1/upload-form-async").ConfigureAwait(false);
            return;
        }
        var head = HttpMethods.IsHead(context.Request.Method);
        if (!head && !HttpMethods.IsPost(context.Request.Method))
        {
            await Text(context, 405, "upload paths take POST (and HEAD)").ConfigureAwait(false);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await Text(context, 401, "an upload needs Authorization: Bearer <token> (create an UploadTokenRequest for the claim)").ConfigureAwait(false);
            return;
        }
        if (UploadTokens.Validate(header["Bearer ".Length..].Trim(), tokenKey, clock.GetUtcNow(), out var problem) is not { } token)
        {
            await Text(context, 401, problem!).ConfigureAwait(false);
            return;
        }
        var claimKey = $"{token.Namespace}/{token.Name}";
        var (target, refusal) = await FindServerAsync(token.Namespace!, token.Name!, context.RequestAborted).ConfigureAwait(false);
        if (target is null)
        {
            await Text(context, refusal!.Value.Status, refusal.Value.Message).ConfigureAwait(false);
            return;
        }
        if (head)
        {
            await ForwardAsync(context, target).ConfigureAwait(false);
            return;
        }
        if (!_inFlight.TryAdd(claimKey, 0))
        {
            await Text(context, 503, $"another upload into claim {claimKey} is in progress: one at a time").ConfigureAwait(false);
            return;
        }
        try
        {
            await ForwardAsync(context, target).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(claimKey, out _);
        }
    }

    /// <summary>The upload server's base URL, or why there is none to send to.</summary>
    private async Task<(Uri? Target, (int Status, string Message)? Refusal)> FindServerAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + ReadyWait;
        while (true)
        {
            var claim = store.Get(new ObjectKey("persistentvolumeclaims", ns, name));
            if (claim is null)
            {
                return (null, (404, $"claim {ns}/{name} does not exist"));
            }
            var annotations = claim["metadata"]?["annotations"] as JsonObject;
            if (annotations?[UploadTarget] is null)
            {
                return (null, (400, $"claim {ns}/{name} is not an upload target: upload into a DataVolume with source.upload"));
            }
            if (Text(annotations[PodPhase]) == "Succeeded")
            {
                return (null, (409, $"the upload into claim {ns}/{name} already completed: it cannot be uploaded again"));
            }
            if (Text(annotations[PodReady]) == "true" && ServerAddress(claim) is { } address)
            {
                return (new Uri($"http://{address}:{UploadServerSpec.Port}"), null);
            }
            if (clock.GetUtcNow() >= deadline)
            {
                return (null, (503, $"the upload server of claim {ns}/{name} is not ready: wait until the DataVolume is UploadReady"));
            }
            await Task.Delay(ReadyPoll, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The pod IP of the claim's running upload server pod (owned by the claim, labelled as upstream's).</summary>
    private string? ServerAddress(JsonObject claim)
    {
        var ns = Text(claim["metadata"]?["namespace"]);
        var uid = Text(claim["metadata"]?["uid"]);
        var (pods, _) = store.List("pods", ns, p =>
            Text(p["metadata"]?["labels"]?["cdi.kubevirt.io"]) == UploadServerRole
            && p["metadata"]?["ownerReferences"] is JsonArray owners && owners.Any(o => Text(o?["uid"]) == uid)
            && Text(p["status"]?["phase"]) == "Running");
        return pods.Select(p => Text(p["status"]?["podIP"])).FirstOrDefault(ip => IPAddress.TryParse(ip, out _));
    }

    private async Task ForwardAsync(HttpContext context, Uri server)
    {
        var target = new Uri(server, context.Request.Path.Value + context.Request.QueryString.Value);
        using var response = await SendAsync(context, target).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var name in ForwardedResponseHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        if (response.Content.Headers.ContentType is { } type)
        {
            context.Response.ContentType = type.ToString();
        }
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
            await body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends to the upload server; a refused connection (its process is still starting) is tried again briefly. Nothing
    /// of the body is read before a connection exists, so a retry sends it whole.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpContext context, Uri target)
    {
        var deadline = clock.GetUtcNow() + ReadyWait;
        while (true)
        {
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
            foreach (var name in ForwardedRequestHeaders)
            {
                if (context.Request.Headers.TryGetValue(name, out var values))
                {
                    request.Headers.TryAddWithoutValidation(name, values.ToArray());
                }
            }
            if (HttpMethods.IsPost(context.Request.Method))
            {
                var content = new StreamContent(context.Request.Body, 1 << 20);
                content.Headers.ContentLength = context.Request.ContentLength;
                if (context.Request.ContentType is { } type)
                {
                    content.Headers.TryAddWithoutValidation("Content-Type", type);
                }
                if (context.Request.Headers.ContentRange.ToString() is { Length: > 0 } range)
                {
                    content.Headers.TryAddWithoutValidation("Content-Range", range);
                }
                request.Content = content;
            }
            try
            {
                return await http.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } && clock.GetUtcNow() < deadline)
            {
                await Task.Delay(ReadyPoll, clock, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static async Task Text(HttpContext context, int status, string line)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
    }
}
