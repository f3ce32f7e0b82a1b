using System.Text.Json.Nodes;
using Cdi.Cluster.Patching;
using Cdi.Cluster.Storage;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.ApiServer;

internal sealed partial class ResourceHandler
{
    private async Task CreateAsync(HttpContext context, ResourceRequest r)
    {
        var body = In(r, await HttpJson.ReadObjectAsync(context).ConfigureAwait(false));
        var write = Write(context);
        var created = objects.Create(r.Stored, r.StoredVersion, r.Namespace, body, write);
        Present(r, created);
        AddWarnings(context, write);
        await HttpJson.WriteAsync(context, 201, created).ConfigureAwait(false);
    }

    private async Task UpdateAsync(HttpContext context, ResourceRequest r)
    {
        var body = In(r, await HttpJson.ReadObjectAsync(context).ConfigureAwait(false));
        var write = Write(context);
        var updated = objects.Update(r.Stored, r.StoredVersion, r.Namespace, r.Name!, body, r.Subresource == "status", write);
        AddWarnings(context, write);
        Present(r, updated);
        await HttpJson.WriteAsync(context, 200, updated).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, ResourceRequest r)
    {
        var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
        var text = await HttpJson.ReadTextAsync(context).ConfigureAwait(false);
        var patch = HttpJson.Parse(text, contentType);
        var write = Write(context);
        var statusOnly = r.Subresource == "status";
        Func<JsonObject, JsonObject> change = contentType switch
        {
            "application/merge-patch+json" => current => AsObject(JsonMergePatch.Apply(current, patch)),
            "application/json-patch+json" => current => AsObject(JsonPatch.Apply(current, patch)),
            "application/strategic-merge-patch+json" => current => AsObject(StrategicMergePatch.Apply(current, patch)),
            "application/apply-patch+yaml" or "application/apply-patch+json" => current =>
                ServerSideApply.Apply(current, patch as JsonObject ?? throw ApiErrors.BadRequest("apply patch must be an object"), Manager(context), r.Stored.IsCustom, clock.GetUtcNow()),
            _ => throw ApiErrors.UnsupportedMediaType(contentType),
        };
        if (EventsV1.Applies(r.Definition))
        {
            // Patches are written against the events.k8s.io shape.
            var inner = change;
            change = current => EventsV1.ToCore(inner(EventsV1.ToV1(current)));
        }
        JsonObject result;
        var isApply = contentType.StartsWith("application/apply-patch", StringComparison.Ordinal);
        if (isApply && objects.Store.Get(Key(r)) is null && !statusOnly)
        {
            // Server-side apply creates what is missing.
            var body = In(r, (JsonObject)(patch as JsonObject ?? throw ApiErrors.BadRequest("apply patch must be an object")).DeepClone());
            ObjectMeta.Metadata(body)["name"] = r.Name;
            ObjectMeta.Metadata(body).Remove("managedFields");
            ServerSideApply.Record(body, Manager(context), body["apiVersion"]?.ToString() ?? r.Definition.ApiVersion(r.Version),
                FieldSet.Of(body, keyedLists: !r.Stored.IsCustom), clock.GetUtcNow());
            result = objects.Create(r.Stored, r.StoredVersion, r.Namespace, body, write);
            Present(r, result);
            AddWarnings(context, write);
            await HttpJson.WriteAsync(context, 201, result).ConfigureAwait(false);
            return;
        }
        result = objects.Replace(r.Stored, r.StoredVersion, r.Namespace, r.Name!, change, statusOnly, write);
        AddWarnings(context, write);
        Present(r, result);
        await HttpJson.WriteAsync(context, 200, result).ConfigureAwait(false);
    }

    private static string Manager(HttpContext context) =>
        context.Request.Query["fieldManager"].ToString() is { Length: > 0 } m ? m : "unknown";

    private static JsonObject In(ResourceRequest r, JsonObject body) => EventsV1.Applies(r.Definition) ? EventsV1.ToCore(body) : body;

    private static WriteOptions Write(HttpContext context) =>
        new(IsDryRun(context), context.Request.Query["fieldValidation"].ToString() is { Length: > 0 } v ? v : "Warn")
        {
            User = Authentication.RequestUser.Of(context),
        };

    /// <summary>Warnings travel as <c>Warning: 299 - "text"</c> headers; kubectl prints them as "Warning: text".</summary>
    private static void AddWarnings(HttpContext context, WriteOptions write)
    {
        foreach (var w in write.Warnings)
        {
            context.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    private static JsonObject AsObject(JsonNode? node) =>
        node as JsonObject ?? throw ApiErrors.BadRequest("the patch must produce a JSON object");

    private async Task DeleteAsync(HttpContext context, ResourceRequest r)
    {
        var options = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var (obj, gone) = objects.Delete(r.Stored, r.Namespace, r.Name!, options);
        Present(r, obj);
        if (!gone || r.Stored.GroupResource == "pods")
        {
            // Still there (finalizers, or a namespace being emptied): Kubernetes answers with the object; pods'
            // storage also returns the deleted object (ReturnDeletedObject), the others a Success Status.
            await HttpJson.WriteAsync(context, 200, obj).ConfigureAwait(false);
            return;
        }
        var details = new JsonObject { ["name"] = r.Name, ["kind"] = r.Definition.Plural, ["uid"] = ObjectMeta.Uid(obj) };
        if (r.Definition.Group.Length > 0)
        {
            details["group"] = r.Definition.Group;
        }
        await HttpJson.WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        }).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext context, ResourceRequest r)
    {
        var options = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var labels = Selectors.LabelSelector.Parse(context.Request.Query["labelSelector"]);
        var fields = Selectors.FieldSelector.Parse(context.Request.Query["fieldSelector"]);
        var (all, _) = objects.Store.List(r.Stored.GroupResource, r.Namespace);
        var deleted = new JsonArray();
        foreach (var o in all.Where(o => labels.Matches(ObjectMeta.Labels(o)) && fields.Matches(o)))
        {
            try
            {
                var (obj, _) = objects.Delete(r.Stored, ObjectMeta.Namespace(o), ObjectMeta.Name(o), options);
                Present(r, obj);
                deleted.Add(obj);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted concurrently: nothing left to do.
            }
        }
        await HttpJson.WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = r.Definition.Kind + "List",
            ["apiVersion"] = r.Definition.ApiVersion(r.Version),
            ["metadata"] = new JsonObject { ["resourceVersion"] = objects.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        }).ConfigureAwait(false);
    }

    private static async Task<DeleteOptions> ReadDeleteOptionsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var body = await HttpJson.ReadNodeAsync(context).ConfigureAwait(false) as JsonObject;
        string? Field(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return new DeleteOptions(
            Field(body?["propagationPolicy"]) ?? (query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null),
            Field(body?["preconditions"]?["uid"]),
            Field(body?["preconditions"]?["resourceVersion"]),
            IsDryRun(context) || body?["dryRun"] is JsonArray { Count: > 0 });
    }
}
