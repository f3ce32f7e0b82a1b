using System.Text.Json.Nodes;
using Cdi.Cluster.Admission;
using Cdi.Cluster.Crds;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;
using Cdi.Cluster.Validation;

namespace Cdi.Cluster.ApiServer;

internal sealed partial class ObjectService
{
    /// <summary>
    /// PUT semantics. With <paramref name="statusOnly"/> (the /status subresource) only status changes; otherwise a kind
    /// with a status subresource keeps its stored status. A resourceVersion in the body must match (409 otherwise).
    /// </summary>
    public JsonObject Update(ResourceDefinition d, string version, string? ns, string name, JsonObject body, bool statusOnly, WriteOptions write) =>
        Replace(d, version, ns, name, _ => body, statusOnly, write);

    /// <summary>Read-modify-write: <paramref name="change"/> maps the current object to the requested one, then PUT semantics apply.</summary>
    public JsonObject Replace(ResourceDefinition d, string version, string? ns, string name, Func<JsonObject, JsonObject> change, bool statusOnly, WriteOptions write)
    {
        var key = new ObjectKey(d.GroupResource, d.Namespaced ? ns ?? "" : "", name);
        JsonObject? result = null;
        var committed = store.Write(key, current =>
        {
            if (current is null)
            {
                throw ApiErrors.NotFound(d, name);
            }
            var requested = change((JsonObject)current.DeepClone());
            var next = Merge(d, current, requested, name, statusOnly, write);
            if (ObjectMeta.IsDeleting(next) && ObjectMeta.Finalizers(next).Count == 0
                && !string.Equals(d.GroupResource, "namespaces", StringComparison.Ordinal))
            {
                result = next;
                return write.DryRun ? StoreWrite.Keep : StoreWrite.Remove;
            }
            if (JsonNode.DeepEquals(Comparable(next), Comparable(current)))
            {
                result = current;
                return StoreWrite.Keep;
            }
            result = next;
            return write.DryRun ? StoreWrite.Keep : StoreWrite.Put(next);
        });
        AfterCommit(d, committed);
        var output = (JsonObject)(committed?.Object ?? result!).DeepClone();
        output["apiVersion"] = d.ApiVersion(version);
        return output;
    }

    private JsonObject Merge(ResourceDefinition d, JsonObject current, JsonObject requested, string name, bool statusOnly, WriteOptions write)
    {
        var bodyName = ObjectMeta.Name(requested);
        if (bodyName.Length > 0 && !string.Equals(bodyName, name, StringComparison.Ordinal))
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        var wantedRv = ObjectMeta.Str(requested, "resourceVersion");
        if (!string.IsNullOrEmpty(wantedRv) && !string.Equals(wantedRv, ObjectMeta.Str(current, "resourceVersion"), StringComparison.Ordinal))
        {
            throw ApiErrors.Conflict(d, name);
        }
        JsonObject next;
        if (statusOnly)
        {
            next = (JsonObject)current.DeepClone();
            next["status"] = requested["status"]?.DeepClone();
            var request = new AdmissionRequest(d, AdmissionOperation.Update, "status", next, current) { User = write.User };
            _admission.Admit(request, AdmissionStage.ObjectValidation);
            _admission.Admit(request, AdmissionStage.ValidatingAdmission);
        }
        else
        {
            next = (JsonObject)requested.DeepClone();
            next["apiVersion"] = current["apiVersion"]?.DeepClone();
            next["kind"] = d.Kind;
            var meta = ObjectMeta.Metadata(next);
            var old = ObjectMeta.Metadata(current);
            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion" })
            {
                meta[field] = old[field]?.DeepClone();
                if (meta[field] is null)
                {
                    meta.Remove(field);
                }
            }
            // managedFields sent with an update replace the stored ones; omitted, the stored ones stay.
            if (meta["managedFields"] is not JsonArray { Count: > 0 })
            {
                meta["managedFields"] = old["managedFields"]?.DeepClone();
                if (meta["managedFields"] is null)
                {
                    meta.Remove("managedFields");
                }
            }
            if (d.HasStatus && !string.Equals(d.GroupResource, CrdNames.GroupResource, StringComparison.Ordinal))
            {
                next["status"] = current["status"]?.DeepClone();
            }
            if (next["status"] is null)
            {
                next.Remove("status");
            }
            _admission.Admit(new AdmissionRequest(d, AdmissionOperation.Update, null, next, current) { User = write.User }, AdmissionStage.ObjectValidation);
            ApiDefaults.Apply(d.GroupResource, next);
            if (d.IsCustom && d.Schema is not null)
            {
                SchemaValidator.Validate(d, next, write);
            }
            _admission.Admit(new AdmissionRequest(d, AdmissionOperation.Update, null, next, current) { User = write.User }, AdmissionStage.ValidatingAdmission);
            if (string.Equals(d.GroupResource, CrdNames.GroupResource, StringComparison.Ordinal))
            {
                CrdStatus.Accept(next);
            }
            if (!JsonNode.DeepEquals(WithoutMetaAndStatus(next), WithoutMetaAndStatus(current)))
            {
                meta["generation"] = ObjectMeta.Long(old["generation"], 1) + 1;
            }
        }
        return next;
    }

    // Two versions are "the same" (no new resourceVersion) when they differ only in resourceVersion.
    private static JsonObject Comparable(JsonObject o)
    {
        var c = (JsonObject)o.DeepClone();
        ObjectMeta.Metadata(c).Remove("resourceVersion");
        return c;
    }

    private static JsonObject WithoutMetaAndStatus(JsonObject o)
    {
        var c = (JsonObject)o.DeepClone();
        c.Remove("metadata");
        c.Remove("status");
        c.Remove("apiVersion");
        return c;
    }
}
