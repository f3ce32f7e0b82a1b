using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Serialization.Protobuf;

/// <summary>
/// Request bodies in <c>application/vnd.kubernetes.protobuf</c>: kubectl's typed clients send them
/// (<c>kubectl create namespace|configmap|secret|quota|serviceaccount|role|rolebinding|token</c>, the <c>kubectl auth</c>
/// reviews, typed deletes). A "k8s\0" envelope around a
/// runtime.Unknown (typeMeta, raw) whose raw bytes are the object. Only the kinds kubectl creates that way are
/// described here (field numbers from the k8s.io/api generated.proto files); others get 415.
/// </summary>
internal static class KubernetesProtobuf
{
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    private static readonly ProtoMessage OwnerReference = new(
        new ProtoField(1, "kind", ProtoType.String),
        new ProtoField(3, "name", ProtoType.String),
        new ProtoField(4, "uid", ProtoType.String),
        new ProtoField(5, "apiVersion", ProtoType.String),
        new ProtoField(6, "controller", ProtoType.Bool),
        new ProtoField(7, "blockOwnerDeletion", ProtoType.Bool));

    private static readonly ProtoMessage ObjectMeta = new(
        new ProtoField(1, "name", ProtoType.String),
        new ProtoField(2, "generateName", ProtoType.String),
        new ProtoField(3, "namespace", ProtoType.String),
        new ProtoField(5, "uid", ProtoType.String),
        new ProtoField(6, "resourceVersion", ProtoType.String),
        new ProtoField(7, "generation", ProtoType.Int64),
        new ProtoField(11, "labels", ProtoType.MapStringString),
        new ProtoField(12, "annotations", ProtoType.MapStringString),
        new ProtoField(13, "ownerReferences", ProtoType.Message, OwnerReference, Repeated: true),
        new ProtoField(14, "finalizers", ProtoType.String, Repeated: true));

    private static readonly ProtoMessage Name = new(new ProtoField(1, "name", ProtoType.String));

    private static readonly ProtoMessage ObjectReference = new(
        new ProtoField(1, "kind", ProtoType.String),
        new ProtoField(2, "namespace", ProtoType.String),
        new ProtoField(3, "name", ProtoType.String),
        new ProtoField(4, "uid", ProtoType.String),
        new ProtoField(5, "apiVersion", ProtoType.String));

    private static readonly ProtoMessage ScopedSelectorRequirement = new(
        new ProtoField(1, "scopeName", ProtoType.String),
        new ProtoField(2, "operator", ProtoType.String),
        new ProtoField(3, "values", ProtoType.String, Repeated: true));

    private static readonly ProtoMessage ResourceAttributes = new(
        new ProtoField(1, "namespace", ProtoType.String),
        new ProtoField(2, "verb", ProtoType.String),
        new ProtoField(3, "group", ProtoType.String),
        new ProtoField(4, "version", ProtoType.String),
        new ProtoField(5, "resource", ProtoType.String),
        new ProtoField(6, "subresource", ProtoType.String),
        new ProtoField(7, "name", ProtoType.String));

    private static readonly ProtoMessage NonResourceAttributes = new(
        new ProtoField(1, "path", ProtoType.String),
        new ProtoField(2, "verb", ProtoType.String));

    private static readonly ProtoMessage PolicyRule = new(
        new ProtoField(1, "verbs", ProtoType.String, Repeated: true),
        new ProtoField(2, "apiGroups", ProtoType.String, Repeated: true),
        new ProtoField(3, "resources", ProtoType.String, Repeated: true),
        new ProtoField(4, "resourceNames", ProtoType.String, Repeated: true),
        new ProtoField(5, "nonResourceURLs", ProtoType.String, Repeated: true));

    private static readonly ProtoMessage Role = new(
        new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
        new ProtoField(2, "rules", ProtoType.Message, PolicyRule, Repeated: true));

    private static readonly ProtoMessage RoleBinding = new(
        new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
        new ProtoField(2, "subjects", ProtoType.Message, new ProtoMessage(
            new ProtoField(1, "kind", ProtoType.String),
            new ProtoField(2, "apiGroup", ProtoType.String),
            new ProtoField(3, "name", ProtoType.String),
            new ProtoField(4, "namespace", ProtoType.String)), Repeated: true),
        new ProtoField(3, "roleRef", ProtoType.Message, new ProtoMessage(
            new ProtoField(1, "apiGroup", ProtoType.String),
            new ProtoField(2, "kind", ProtoType.String),
            new ProtoField(3, "name", ProtoType.String))));

    private static readonly Dictionary<string, ProtoMessage> Kinds = new(StringComparer.Ordinal)
    {
        ["Role"] = Role,
        ["ClusterRole"] = Role,
        ["RoleBinding"] = RoleBinding,
        ["ClusterRoleBinding"] = RoleBinding,
        ["TokenRequest"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "spec", ProtoType.Message, new ProtoMessage(
                new ProtoField(1, "audiences", ProtoType.String, Repeated: true),
                new ProtoField(3, "boundObjectRef", ProtoType.Message, new ProtoMessage(
                    new ProtoField(1, "kind", ProtoType.String),
                    new ProtoField(2, "apiVersion", ProtoType.String),
                    new ProtoField(3, "name", ProtoType.String),
                    new ProtoField(4, "uid", ProtoType.String))),
                new ProtoField(4, "expirationSeconds", ProtoType.Int64)))),
        ["SubjectAccessReview"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "spec", ProtoType.Message, new ProtoMessage(
                new ProtoField(1, "resourceAttributes", ProtoType.Message, ResourceAttributes),
                new ProtoField(2, "nonResourceAttributes", ProtoType.Message, NonResourceAttributes),
                new ProtoField(3, "user", ProtoType.String),
                new ProtoField(4, "groups", ProtoType.String, Repeated: true),
                new ProtoField(6, "uid", ProtoType.String)))),
        ["SelfSubjectRulesReview"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "spec", ProtoType.Message, new ProtoMessage(new ProtoField(1, "namespace", ProtoType.String)))),
        ["SelfSubjectReview"] = new(new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta)),
        ["ConfigMap"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "data", ProtoType.MapStringString),
            new ProtoField(3, "binaryData", ProtoType.MapStringBytes),
            new ProtoField(4, "immutable", ProtoType.Bool)),
        ["Secret"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "data", ProtoType.MapStringBytes),
            new ProtoField(3, "type", ProtoType.String),
            new ProtoField(4, "stringData", ProtoType.MapStringString),
            new ProtoField(5, "immutable", ProtoType.Bool)),
        ["Namespace"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "spec", ProtoType.Message, new ProtoMessage(new ProtoField(1, "finalizers", ProtoType.String, Repeated: true)))),
        ["ServiceAccount"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "secrets", ProtoType.Message, ObjectReference, Repeated: true),
            new ProtoField(3, "imagePullSecrets", ProtoType.Message, Name, Repeated: true),
            new ProtoField(4, "automountServiceAccountToken", ProtoType.Bool)),
        ["ResourceQuota"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "spec", ProtoType.Message, new ProtoMessage(
                new ProtoField(1, "hard", ProtoType.MapStringQuantity),
                new ProtoField(2, "scopes", ProtoType.String, Repeated: true),
                new ProtoField(3, "scopeSelector", ProtoType.Message, new ProtoMessage(
                    new ProtoField(1, "matchExpressions", ProtoType.Message, ScopedSelectorRequirement, Repeated: true)))))),
        ["Service"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "spec", ProtoType.Message, new ProtoMessage(
                new ProtoField(1, "ports", ProtoType.Message, new ProtoMessage(
                    new ProtoField(1, "name", ProtoType.String),
                    new ProtoField(2, "protocol", ProtoType.String),
                    new ProtoField(3, "port", ProtoType.Int64),
                    new ProtoField(4, "targetPort", ProtoType.IntOrString),
                    new ProtoField(5, "nodePort", ProtoType.Int64),
                    new ProtoField(6, "appProtocol", ProtoType.String)), Repeated: true),
                new ProtoField(2, "selector", ProtoType.MapStringString),
                new ProtoField(3, "clusterIP", ProtoType.String),
                new ProtoField(4, "type", ProtoType.String),
                new ProtoField(5, "externalIPs", ProtoType.String, Repeated: true),
                new ProtoField(7, "sessionAffinity", ProtoType.String),
                new ProtoField(10, "externalName", ProtoType.String),
                new ProtoField(18, "clusterIPs", ProtoType.String, Repeated: true)))),
        ["SelfSubjectAccessReview"] = new(
            new ProtoField(1, "metadata", ProtoType.Message, ObjectMeta),
            new ProtoField(2, "spec", ProtoType.Message, new ProtoMessage(
                new ProtoField(1, "resourceAttributes", ProtoType.Message, ResourceAttributes),
                new ProtoField(2, "nonResourceAttributes", ProtoType.Message, NonResourceAttributes)))),
        ["DeleteOptions"] = new(
            new ProtoField(1, "gracePeriodSeconds", ProtoType.Int64),
            new ProtoField(2, "preconditions", ProtoType.Message, new ProtoMessage(
                new ProtoField(1, "uid", ProtoType.String),
                new ProtoField(2, "resourceVersion", ProtoType.String))),
            new ProtoField(3, "orphanDependents", ProtoType.Bool),
            new ProtoField(4, "propagationPolicy", ProtoType.String),
            new ProtoField(5, "dryRun", ProtoType.String, Repeated: true)),
    };

    private static readonly ProtoMessage TypeMeta = new(
        new ProtoField(1, "apiVersion", ProtoType.String),
        new ProtoField(2, "kind", ProtoType.String));

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw ApiErrors.BadRequest("protobuf body without the k8s envelope");
        }
        var reader = new ProtoReader(body[Magic.Length..]);
        JsonObject? typeMeta = null;
        ReadOnlySpan<byte> raw = default;
        while (!reader.End)
        {
            var (number, wire) = reader.ReadTag();
            switch (number)
            {
                case 1:
                    typeMeta = ProtoDecoder.Decode(reader.ReadBytes(), TypeMeta);
                    break;
                case 2:
                    raw = reader.ReadBytes();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        var kind = typeMeta?["kind"]?.GetValue<string>() ?? "";
        if (!Kinds.TryGetValue(kind, out var schema))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - this server decodes protobuf only for {string.Join(", ", Kinds.Keys)}; send {kind} as application/json");
        }
        var obj = ProtoDecoder.Decode(raw, schema);
        obj["apiVersion"] = typeMeta?["apiVersion"]?.DeepClone();
        obj["kind"] = kind;
        return obj;
    }
}
