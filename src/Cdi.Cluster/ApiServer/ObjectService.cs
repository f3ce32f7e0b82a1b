using System.Text.Json.Nodes;
using Cdi.Cluster.Admission;
using Cdi.Cluster.Crds;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;
using Cdi.Cluster.Validation;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// The write semantics of the API server, independent of HTTP: create, update (main resource or status), delete with
/// finalizers, and the admission steps. The HTTP handler and the in-process controllers both go through it.
/// </summary>
internal sealed partial class ObjectService(ObjectStore store, ResourceRegistry registry, TimeProvider clock, AdmissionChain? admission = null)
{
    // The alphabet Kubernetes uses for generateName suffixes (no vowels, so no words; no look-alike characters).
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    // Generated names stay within a DNS label: a longer generateName is cut to 63 - 5 characters before the suffix.
    private const int MaxGenerateNameLength = 58;

    private readonly AdmissionChain _admission = admission ?? AdmissionChain.Default();

    public ObjectStore Store => store;

    public ResourceRegistry Registry => registry;

    public TimeProvider Clock => clock;

    public JsonObject Create(ResourceDefinition d, string version, string? ns, JsonObject body, WriteOptions write)
    {
        var obj = (JsonObject)body.DeepClone();
        obj["apiVersion"] = d.ApiVersion(version);
        obj["kind"] = d.Kind;
        var meta = ObjectMeta.Metadata(obj);
        if (d.Namespaced)
        {
            var bodyNs = ObjectMeta.Namespace(obj);
            if (ns is null || (bodyNs.Length > 0 && !string.Equals(bodyNs, ns, StringComparison.Ordinal)))
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta["namespace"] = ns;
        }
        else
        {
            meta.Remove("namespace");
        }
        var name = ObjectMeta.Name(obj);
        if (name.Length == 0 && meta["name"] is null && ObjectMeta.Str(obj, "generateName") is { Length: > 0 } prefix)
        {
            name = prefix[..Math.Min(prefix.Length, MaxGenerateNameLength)] + RandomSuffix();
            meta["name"] = name;
        }
        // Validation before defaulting: the defaulting and admission below read fields whose shape it guarantees.
        _admission.Admit(new AdmissionRequest(d, AdmissionOperation.Create, null, obj, null) { User = write.User }, AdmissionStage.ObjectValidation);
        if (d.Namespaced)
        {
            RequireLiveNamespace(d, ns!, name);
        }
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = ObjectMeta.Timestamp(clock.GetUtcNow());
        meta["generation"] = 1L;
        meta.Remove("resourceVersion");
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");

        ApiDefaults.Apply(d.GroupResource, obj);
        CreateDefaults.Apply(d, obj);
        if (d.IsCustom && d.Schema is not null)
        {
            SchemaValidator.Validate(d, obj, write);
        }
        _admission.Admit(new AdmissionRequest(d, AdmissionOperation.Create, null, obj, null) { User = write.User }, AdmissionStage.ValidatingAdmission);
        if (string.Equals(d.GroupResource, CrdNames.GroupResource, StringComparison.Ordinal))
        {
            CrdStatus.Accept(obj);
        }
        if (string.Equals(d.GroupResource, "pods", StringComparison.Ordinal))
        {
            LimitRangeDefaulter.Apply(store, obj);
            PodDefaults.SetQosClass(obj);
            // Validating admission in kube-apiserver's order: PodSecurity before ResourceQuota (which must come last).
            PodSecurityAdmission.AdmitPod(store, d, obj);
            QuotaAdmission.AdmitPod(store, d, obj);
        }
        else if (string.Equals(d.GroupResource, "services", StringComparison.Ordinal))
        {
            ServiceDefaults.Apply(store, obj);
        }
        else if (string.Equals(d.GroupResource, "persistentvolumeclaims", StringComparison.Ordinal))
        {
            DefaultStorageClass.Apply(store, obj);
            QuotaAdmission.AdmitClaim(store, d, obj);
        }
        if (write.DryRun)
        {
            return obj;
        }
        var key = new ObjectKey(d.GroupResource, ns ?? "", name);
        var committed = store.Write(key, current => current is not null ? throw ApiErrors.AlreadyExists(d, name) : StoreWrite.Put(obj));
        AfterCommit(d, committed);
        // The committed object is the store's frozen copy: callers get their own.
        return (JsonObject)committed!.Object.DeepClone();
    }

    private void RequireLiveNamespace(ResourceDefinition d, string ns, string name)
    {
        var nsObj = store.Get(new ObjectKey("namespaces", "", ns)) ?? throw ApiErrors.NotFound("namespaces", ns);
        if (ObjectMeta.IsDeleting(nsObj))
        {
            throw ApiErrors.Forbidden(d, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private static string RandomSuffix() =>
        string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = NameAlphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(NameAlphabet.Length)];
            }
        });

    /// <summary>Keeps the registry in step with CustomResourceDefinition objects as they are committed.</summary>
    private void AfterCommit(ResourceDefinition d, WatchEvent? committed)
    {
        if (committed is null || !string.Equals(d.GroupResource, CrdNames.GroupResource, StringComparison.Ordinal))
        {
            return;
        }
        if (committed.Type == WatchEventType.Deleted)
        {
            var gone = CrdReader.Read(committed.Object);
            registry.Remove(gone.GroupResource);
            foreach (var cr in store.List(gone.GroupResource, null).Items)
            {
                store.Write(new ObjectKey(gone.GroupResource, ObjectMeta.Namespace(cr), ObjectMeta.Name(cr)), _ => StoreWrite.Remove);
            }
        }
        else if (!ObjectMeta.IsDeleting(committed.Object))
        {
            registry.Put(CrdReader.Read(committed.Object));
        }
    }
}
