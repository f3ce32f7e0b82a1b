using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Watching;

namespace Cdi.Kube.Rest;

/// <summary>
/// A Kubernetes REST client over one HttpClient. Namespace rule: for a namespaced resource, reads and writes of one
/// object use the given namespace, else the object's, else the config's default; List and Watch with a null
/// namespace span all namespaces.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _basePath;

    public KubeClient(KubeConfig config, TimeProvider? timeProvider = null)
        : this(config, KubeHttpHandlerFactory.Create(config), timeProvider)
    {
    }

    /// <summary>For tests: a scripted handler in place of the network.</summary>
    internal KubeClient(KubeConfig config, HttpMessageHandler handler, TimeProvider? timeProvider)
    {
        Config = config;
        TimeProvider = timeProvider ?? TimeProvider.System;
        // Timeout is per call (RequestTimeout) because watches and followed logs must be allowed to stay open.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("cdi", "1.0"));
        var server = config.Server.ToString();
        _basePath = server.EndsWith('/') ? server : server + "/";
    }

    /// <summary>A client for the usual configuration: explicit path, $KUBECONFIG, ~/.kube/config, then in-cluster.</summary>
    public static KubeClient FromDefaultConfig(string? kubeconfigPath = null, string? context = null, TimeProvider? timeProvider = null) =>
        new(KubeConfigLoader.Load(kubeconfigPath, context), timeProvider);

    public KubeConfig Config { get; }
    public TimeProvider TimeProvider { get; }
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public Task<T> GetAsync<T>(ResourceType<T> type, string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where T : class =>
        SendAsync(HttpMethod.Get, type.Descriptor.PathFor(Ns(type, @namespace), name), null, type.TypeInfo, cancellationToken);

    /// <summary>Like <see cref="GetAsync{T}"/> but null when the object does not exist.</summary>
    public async Task<T?> TryGetAsync<T>(ResourceType<T> type, string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where T : class
    {
        try
        {
            return await GetAsync(type, name, @namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<KubeList<T>> ListAsync<T>(ResourceType<T> type, string? @namespace = null, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class
    {
        var query = new QueryBuilder()
            .Add("labelSelector", options?.LabelSelector).Add("fieldSelector", options?.FieldSelector)
            .Add("limit", options?.Limit).Add("continue", options?.Continue).Add("resourceVersion", options?.ResourceVersion);
        return SendAsync(HttpMethod.Get, type.Descriptor.PathFor(@namespace) + query, null, type.ListTypeInfo, cancellationToken);
    }

    /// <summary>Pages of a list, following <c>continue</c> tokens; set <see cref="ListOptions.Limit"/> for the page size.</summary>
    public async IAsyncEnumerable<KubeList<T>> ListPagesAsync<T>(ResourceType<T> type, string? @namespace = null, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default) where T : class
    {
        var current = options ?? new ListOptions { Limit = 500 };
        while (true)
        {
            var page = await ListAsync(type, @namespace, current, cancellationToken).ConfigureAwait(false);
            yield return page;
            if (string.IsNullOrEmpty(page.Metadata.Continue)) yield break;
            current = current with { Continue = page.Metadata.Continue };
        }
    }

    public Task<T> CreateAsync<T>(ResourceType<T> type, T obj, string? @namespace = null, CancellationToken cancellationToken = default)
        where T : class
    {
        var ns = Ns(type, @namespace ?? ObjectMetaAccessor.Get(obj).Namespace);
        return SendAsync(HttpMethod.Post, type.Descriptor.PathFor(ns), Json(obj, type), type.TypeInfo, cancellationToken);
    }

    /// <summary>PUT: fails with Conflict when the object's resourceVersion is stale.</summary>
    public Task<T> UpdateAsync<T>(ResourceType<T> type, T obj, CancellationToken cancellationToken = default) where T : class =>
        Put(type, obj, null, cancellationToken);

    public Task<T> UpdateStatusAsync<T>(ResourceType<T> type, T obj, CancellationToken cancellationToken = default) where T : class =>
        Put(type, obj, "status", cancellationToken);

    public Task<T> PatchAsync<T>(ResourceType<T> type, string name, string? @namespace, PatchType patchType, string patch,
        PatchOptions? options = null, CancellationToken cancellationToken = default) where T : class
    {
        if (patchType == PatchType.Apply && string.IsNullOrEmpty(options?.FieldManager))
            throw new ArgumentException("server-side apply needs a field manager", nameof(options));
        var query = new QueryBuilder().Add("fieldManager", options?.FieldManager)
            .Add("force", options?.Force is bool force ? (force ? "true" : "false") : null);
        var content = new StringContent(patch, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(patchType switch
        {
            PatchType.Merge => "application/merge-patch+json",
            PatchType.Json => "application/json-patch+json",
            PatchType.StrategicMerge => "application/strategic-merge-patch+json",
            _ => "application/apply-patch+yaml",
        });
        var path = type.Descriptor.PathFor(Ns(type, @namespace), name, options?.Subresource) + query;
        return SendAsync(HttpMethod.Patch, path, content, type.TypeInfo, cancellationToken);
    }

    /// <summary>Deletes; with finalizers the object lives on with a deletionTimestamp until they are removed.</summary>
    public async Task DeleteAsync<T>(ResourceType<T> type, string name, string? @namespace = null, DeleteOptions? options = null,
        CancellationToken cancellationToken = default) where T : class
    {
        HttpContent? body = options is null ? null : JsonContent(JsonSerializer.SerializeToUtf8Bytes(options, KubeJsonContext.Default.DeleteOptions));
        using var response = await SendRawAsync(HttpMethod.Delete, type.Descriptor.PathFor(Ns(type, @namespace), name), body, false, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// One watch connection. Ends when the server closes it (timeoutSeconds) or the token fires; an ERROR event
    /// (410 Gone for a too-old resourceVersion, say) is thrown as <see cref="KubeApiException"/>.
    /// Resuming across connections is the <see cref="Reflector{T}"/>'s job.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType<T> type, string? @namespace = null, WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default) where T : class
    {
        options ??= new WatchOptions();
        var query = new QueryBuilder().Add("watch", true).Add("resourceVersion", options.ResourceVersion)
            .Add("labelSelector", options.LabelSelector).Add("fieldSelector", options.FieldSelector)
            .Add("allowWatchBookmarks", options.AllowWatchBookmarks).Add("timeoutSeconds", options.TimeoutSeconds);
        using var response = await SendRawAsync(HttpMethod.Get, type.Descriptor.PathFor(@namespace) + query, null, true, cancellationToken)
            .ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var frame in JsonFrameReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                yield return ParseEvent(frame, type);
            }
        }
    }

    public async Task<string> GetPodLogsAsync(string @namespace, string name, PodLogOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, PodLogPath(@namespace, name, (options ?? new PodLogOptions()) with { Follow = false }), null, false, cancellationToken)
            .ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The log as a stream; with Follow it stays open while the container runs. Dispose the stream to stop.</summary>
    public async Task<Stream> StreamPodLogsAsync(string @namespace, string name, PodLogOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await SendRawAsync(HttpMethod.Get, PodLogPath(@namespace, name, options), null, true, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Any request, for paths the typed ops do not cover (discovery, /version). <paramref name="relativeUri"/> has no
    /// leading slash. Throws <see cref="KubeApiException"/> on a non-success status; the caller disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string relativeUri, HttpContent? content, bool streaming,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, _basePath + relativeUri) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (await BearerTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var timeout = streaming ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout?.CancelAfter(RequestTimeout);
        var response = await _http.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead,
            timeout?.Token ?? cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new KubeApiException(ToStatus(body, response));
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> Put<T>(ResourceType<T> type, T obj, string? subresource, CancellationToken cancellationToken) where T : class
    {
        var meta = ObjectMetaAccessor.Get(obj);
        var name = meta.Name ?? throw new ArgumentException("object has no metadata.name", nameof(obj));
        var path = type.Descriptor.PathFor(Ns(type, meta.Namespace), name, subresource);
        return await SendAsync(HttpMethod.Put, path, Json(obj, type), type.TypeInfo, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResult> SendAsync<TResult>(HttpMethod method, string relativeUri, HttpContent? content,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, relativeUri, content, false, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(bytes, resultType)
            ?? throw new KubeApiException(new Status { Code = (int)response.StatusCode, Message = $"empty response to {method} {relativeUri}" });
    }

    private string? Ns<T>(ResourceType<T> type, string? @namespace) where T : class =>
        type.Descriptor.Namespaced ? (string.IsNullOrEmpty(@namespace) ? Config.Namespace : @namespace) : null;

    private static ByteArrayContent Json<T>(T obj, ResourceType<T> type) where T : class =>
        JsonContent(JsonSerializer.SerializeToUtf8Bytes(obj, type.TypeInfo));

    private static ByteArrayContent JsonContent(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<string?> BearerTokenAsync(CancellationToken cancellationToken)
    {
        // Read on each request: projected service-account tokens are rotated in place by the kubelet.
        if (Config.TokenFile is { } file && File.Exists(file))
            return (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim();
        return Config.Token;
    }

    private static string PodLogPath(string @namespace, string name, PodLogOptions? options) =>
        KubeResources.Pods.Descriptor.PathFor(@namespace, name, "log") + new QueryBuilder()
            .Add("container", options?.Container).Add("tailLines", options?.TailLines)
            .Add("previous", options?.Previous ?? false).Add("follow", options?.Follow ?? false);

    private static WatchEvent<T> ParseEvent<T>(byte[] frame, ResourceType<T> type) where T : class
    {
        using var doc = JsonDocument.Parse(frame);
        var root = doc.RootElement;
        var kind = root.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (!root.TryGetProperty("object", out var obj)) throw new KubeApiException($"watch event without object: {kind}");
        if (kind == "ERROR")
        {
            var status = obj.Deserialize(KubeJsonContext.Default.Status) ?? new Status { Message = "watch error" };
            throw new KubeApiException(status);
        }
        var eventType = kind switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            _ => throw new KubeApiException($"unknown watch event type {kind}"),
        };
        var value = obj.Deserialize(type.TypeInfo) ?? throw new KubeApiException($"watch event {kind} with a null object");
        return new WatchEvent<T>(eventType, value);
    }

    private static Status ToStatus(string body, HttpResponseMessage response)
    {
        Status? status = null;
        try
        {
            status = body.Length > 0 && body.TrimStart().StartsWith('{') ? JsonSerializer.Deserialize(body, KubeJsonContext.Default.Status) : null;
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's HTML page, say): fall through to a synthetic one.
        }
        if (status is { Kind: "Status" }) return status with { Code = status.Code ?? (int)response.StatusCode };
        return new Status
        {
            Outcome = "Failure",
            Code = (int)response.StatusCode,
            Reason = response.ReasonPhrase,
            Message = body.Length > 0 ? body : response.ReasonPhrase,
        };
    }
}
