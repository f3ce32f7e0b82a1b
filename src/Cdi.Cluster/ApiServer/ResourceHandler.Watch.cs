using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Cluster.Selectors;
using Cdi.Cluster.Storage;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.ApiServer;

internal sealed partial class ResourceHandler
{
    // Kubernetes closes idle watches after a random 30–60 minutes so clients re-establish them; we use the upper bound.
    private static readonly TimeSpan MaxWatch = TimeSpan.FromMinutes(60);
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(30);

    private async Task WatchAsync(HttpContext context, ResourceRequest r)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(FieldSelectorText(r, query["fieldSelector"]));
        // "" and "0" both mean "from now, starting with the current objects as ADDED".
        var since = ListQuery.ResourceVersion(query["resourceVersion"]) is { } rv and not 0 ? rv : (long?)null;
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
            ? TimeSpan.FromSeconds(Math.Min(t, MaxWatch.TotalSeconds))
            : MaxWatch;
        var bookmarks = IsTrue(query["allowWatchBookmarks"]);
        var table = WantsTable(context);
        var includeObject = IncludeObject(context);
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var lease = _watches.TryAcquire(client) ?? throw new ApiException(429, "TooManyRequests",
            $"Too many requests, please try again later: this client already holds {_watches.MaxPerClient} watches",
            new System.Text.Json.Nodes.JsonObject { ["retryAfterSeconds"] = 1 });

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        // Send the headers now: over HTTP/2 Kestrel holds them until the first flush, and a client (client-go's
        // reflector) waits for them before it looks at anything else.
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

        WatchSubscription subscription;
        try
        {
            subscription = objects.Store.Watch(r.Stored.GroupResource, since);
        }
        catch (ResourceExpiredException e)
        {
            var gone = new ApiException(410, "Expired", e.Message).ToStatus();
            await WriteEventAsync(context, "ERROR", gone).ConfigureAwait(false);
            return;
        }

        using (subscription)
        using (var lifetime = new CancellationTokenSource(timeout, clock))
        // Watches end when the server stops: clients re-watch elsewhere, and shutdown does not wait for them.
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token, context.RequestAborted, serverStopping))
        {
            var ct = linked.Token;
            var reader = subscription.Events;
            Task<bool>? waiting = null;
            Task? tick = null;
            var lastRv = since ?? objects.Store.ResourceVersion;
            // sendInitialEvents (the watch-list protocol): a bookmark annotated k8s.io/initial-events-end closes the initial state.
            var initialLeft = bookmarks && since is null && IsTrue(query["sendInitialEvents"]) ? subscription.InitialEvents : -1;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    if (initialLeft == 0)
                    {
                        initialLeft = -1;
                        var end = Bookmark(r, lastRv);
                        end["metadata"]!["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
                        await WriteEventAsync(context, "BOOKMARK", end).ConfigureAwait(false);
                    }
                    if (reader.TryRead(out var e))
                    {
                        if (initialLeft > 0)
                        {
                            initialLeft--;
                        }
                        lastRv = Math.Max(lastRv, e.ResourceVersion);
                        var type = Classify(r, e, labels, fields);
                        if (type is null)
                        {
                            continue;
                        }
                        var obj = (JsonObject)e.Object.DeepClone();
                        JsonNode payload;
                        if (table)
                        {
                            payload = tables.Build(r.Stored, [obj], includeObject, e.ResourceVersion, null);
                        }
                        else
                        {
                            Present(r, obj);
                            payload = obj;
                        }
                        await WriteEventAsync(context, type, payload).ConfigureAwait(false);
                        continue;
                    }
                    waiting ??= reader.WaitToReadAsync(ct).AsTask();
                    tick ??= bookmarks ? Task.Delay(BookmarkInterval, clock, ct) : Task.Delay(Timeout.InfiniteTimeSpan, clock, ct);
                    var done = await Task.WhenAny(waiting, tick).ConfigureAwait(false);
                    if (done == waiting)
                    {
                        if (!await waiting.ConfigureAwait(false))
                        {
                            return; // cut off as a slow watcher: the client re-watches from its last resourceVersion
                        }
                        waiting = null;
                    }
                    else
                    {
                        await tick.ConfigureAwait(false);
                        tick = null;
                        await WriteEventAsync(context, "BOOKMARK", Bookmark(r, lastRv)).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Timeout or client gone: ending the response body is how a watch ends.
            }
        }
    }

    /// <summary>The event type this watcher sees, if any: an update moving an object into (out of) the selection is ADDED (DELETED).</summary>
    private static string? Classify(ResourceRequest r, WatchEvent e, LabelSelector labels, FieldSelector fields)
    {
        bool Selected(JsonObject? o) => o is not null
            && (r.Namespace is null || string.Equals(ObjectMeta.Namespace(o), r.Namespace, StringComparison.Ordinal))
            && labels.Matches(ObjectMeta.Labels(o)) && fields.Matches(o);
        var now = Selected(e.Object);
        if (e.Type != WatchEventType.Modified)
        {
            return now ? e.WireType : null;
        }
        var before = Selected(e.Previous);
        return (before, now) switch
        {
            (true, true) => "MODIFIED",
            (false, true) => "ADDED",
            (true, false) => "DELETED",
            _ => null,
        };
    }

    private static JsonObject Bookmark(ResourceRequest r, long rv) => new()
    {
        ["kind"] = r.Definition.Kind,
        ["apiVersion"] = r.Definition.ApiVersion(r.Version),
        ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
    };

    private static async Task WriteEventAsync(HttpContext context, string type, JsonNode obj)
    {
        var body = context.Response.Body;
        await using (var writer = new Utf8JsonWriter(body, HttpJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            obj.WriteTo(writer);
            writer.WriteEndObject();
        }
        await body.WriteAsync("\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
