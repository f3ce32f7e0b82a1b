using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Logs;
using Cdi.Cluster.Selectors;
using Cdi.Cluster.Storage;
using Cdi.Cluster.Tables;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.ApiServer;

/// <summary>The REST verbs on one resource URL: get, list, watch, create, update, patch, delete, deletecollection, pods/log.</summary>
internal sealed partial class ResourceHandler(ObjectService objects, TableBuilder tables, PodLogs logs, TimeProvider clock, AccessReviews reviews, TokenRequests tokenRequests,
    CancellationToken serverStopping)
{
    private readonly WatchLimiter _watches = new(WatchLimiter.DefaultMaxPerClient);

    public async Task HandleAsync(HttpContext context, ResourceRequest r)
    {
        if (r.Subresource is { } sub && !(sub == "status" && r.Definition.HasStatus) && !r.Definition.Subresources.Contains(sub, StringComparer.Ordinal))
        {
            throw ApiErrors.PageNotFound();
        }
        if (AccessReviews.Handles(r))
        {
            await reviews.HandleAsync(context, r).ConfigureAwait(false);
            return;
        }
        var query = context.Request.Query;
        switch (context.Request.Method)
        {
            case "GET" when r.Name is null && IsTrue(query["watch"]):
                await WatchAsync(context, r).ConfigureAwait(false);
                break;
            case "GET" when r.Name is null:
                await ListAsync(context, r).ConfigureAwait(false);
                break;
            case "GET" when r.Subresource == "log":
                await logs.ServeAsync(context, objects.Store, r).ConfigureAwait(false);
                break;
            case "GET":
                await GetAsync(context, r).ConfigureAwait(false);
                break;
            case "POST" when r.Subresource == "token" && r.Definition.GroupResource == "serviceaccounts":
                await tokenRequests.HandleAsync(context, r).ConfigureAwait(false);
                break;
            case "POST" when r.Subresource == "binding":
                await BindAsync(context, r).ConfigureAwait(false);
                break;
            case "POST" when r.Name is null:
                await CreateAsync(context, r).ConfigureAwait(false);
                break;
            case "PUT" when r.Name is not null:
                await UpdateAsync(context, r).ConfigureAwait(false);
                break;
            case "PATCH" when r.Name is not null:
                await PatchAsync(context, r).ConfigureAwait(false);
                break;
            case "DELETE" when r.Name is not null:
                await DeleteAsync(context, r).ConfigureAwait(false);
                break;
            case "DELETE":
                await DeleteCollectionAsync(context, r).ConfigureAwait(false);
                break;
            default:
                throw ApiErrors.MethodNotAllowed(context.Request.Method, r.Definition);
        }
    }

    /// <summary>pods/binding, the scheduler's verb: sets spec.nodeName once and marks the pod PodScheduled.</summary>
    private async Task BindAsync(HttpContext context, ResourceRequest r)
    {
        var binding = await HttpJson.ReadObjectAsync(context).ConfigureAwait(false);
        var node = binding["target"]?["name"]?.ToString() ?? throw ApiErrors.BadRequest("binding.target.name is required");
        var write = new WriteOptions(IsDryRun(context), "Ignore");
        objects.Replace(r.Stored, r.StoredVersion, r.Namespace, r.Name!, pod =>
        {
            var spec = pod["spec"] as JsonObject ?? [];
            var current = spec["nodeName"]?.ToString();
            if (!string.IsNullOrEmpty(current) && current != node)
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{r.Name}\": pod {r.Name} is already assigned to node \"{current}\"");
            }
            spec["nodeName"] = node;
            pod["spec"] = spec;
            return pod;
        }, statusOnly: false, write);
        objects.Replace(r.Stored, r.StoredVersion, r.Namespace, r.Name!, pod =>
        {
            var status = pod["status"] as JsonObject ?? [];
            var conditions = status["conditions"] as JsonArray ?? [];
            if (!conditions.Any(c => c?["type"]?.ToString() == "PodScheduled"))
            {
                conditions.Add(new JsonObject
                {
                    ["type"] = "PodScheduled",
                    ["status"] = "True",
                    ["lastTransitionTime"] = ObjectMeta.Timestamp(clock.GetUtcNow()),
                });
            }
            status["conditions"] = conditions;
            pod["status"] = status;
            return pod;
        }, statusOnly: true, write);
        await HttpJson.WriteAsync(context, 201, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        }).ConfigureAwait(false);
    }

    private async Task GetAsync(HttpContext context, ResourceRequest r)
    {
        var obj = objects.Store.Get(Key(r)) ?? throw ApiErrors.NotFound(r.Definition, r.Name!);
        if (WantsTable(context))
        {
            await HttpJson.WriteAsync(context, 200, tables.Build(r.Stored, [obj], IncludeObject(context), ObjectMeta.ResourceVersion(obj), null)).ConfigureAwait(false);
            return;
        }
        Present(r, obj);
        await HttpJson.WriteAsync(context, 200, obj).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, ResourceRequest r)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(FieldSelectorText(r, query["fieldSelector"]));
        var after = DecodeContinue(query["continue"]);
        var limit = ListQuery.Limit(query["limit"]);
        // Lists are always served from the latest state; a malformed resourceVersion is still refused.
        ListQuery.ResourceVersion(query["resourceVersion"]);
        // Filter inside the store so only the matches are copied (kubectl wait/delete select one object by name).
        var (matching, rv) = objects.Store.List(r.Stored.GroupResource, r.Namespace, o =>
            (after is null || string.CompareOrdinal(SortKey(o), after) > 0) && labels.Matches(ObjectMeta.Labels(o)) && fields.Matches(o));
        string? next = null;
        long? remaining = null;
        if (matching.Count > limit)
        {
            remaining = matching.Count - limit;
            matching = matching[..limit];
            next = Convert.ToBase64String(Encoding.UTF8.GetBytes(SortKey(matching[^1])));
        }
        if (WantsTable(context))
        {
            await HttpJson.WriteAsync(context, 200, tables.Build(r.Stored, matching, IncludeObject(context), rv, next)).ConfigureAwait(false);
            return;
        }
        foreach (var o in matching)
        {
            Present(r, o);
        }
        var metadata = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            metadata["continue"] = next;
            metadata["remainingItemCount"] = remaining;
        }
        var list = new JsonObject
        {
            ["kind"] = r.Definition.Kind + "List",
            ["apiVersion"] = r.Definition.ApiVersion(r.Version),
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. matching]),
        };
        await HttpJson.WriteAsync(context, 200, list).ConfigureAwait(false);
    }

    private static string SortKey(JsonObject o) => ObjectMeta.Namespace(o) + "/" + ObjectMeta.Name(o);

    private static string? DecodeContinue(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiErrors.BadRequest("continue key is not valid: illegal base64 data");
        }
    }

    private static ObjectKey Key(ResourceRequest r) => new(r.Stored.GroupResource, r.Namespace ?? "", r.Name!);

    private static string? FieldSelectorText(ResourceRequest r, string? selector) =>
        EventsV1.Applies(r.Definition) ? EventsV1.CoreFieldSelector(selector) : selector;

    /// <summary>A stored object as the requested group-version shows it.</summary>
    private static void Present(ResourceRequest r, JsonObject o)
    {
        if (EventsV1.Applies(r.Definition))
        {
            EventsV1.ToV1(o);
        }
        o["apiVersion"] = r.Definition.ApiVersion(r.Version);
        o["kind"] = r.Definition.Kind;
    }

    private static bool IsTrue(string? value) => value is "1" or "true" or "True";

    private static bool IsDryRun(HttpContext context) => context.Request.Query["dryRun"].Count > 0;

    /// <summary>kubectl asks for server-side printing with <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io,...</c>.</summary>
    private static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static string IncludeObject(HttpContext context) =>
        context.Request.Query["includeObject"].ToString() is { Length: > 0 } v ? v : "Metadata";
}
