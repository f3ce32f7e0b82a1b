using System.Globalization;
using System.Text.Json.Nodes;
using Cdi.Cluster.Authentication;
using Cdi.Cluster.Storage;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// <c>POST .../namespaces/NS/serviceaccounts/NAME/token</c> (TokenRequest, authentication.k8s.io/v1; <c>kubectl create
/// token</c>, and how the pod runner gets a pod's token): a signed token for the account, for
/// <c>spec.audiences</c> (default: this API server), valid <c>spec.expirationSeconds</c> (default 1 h, at least
/// 10 min, at most <see cref="MaxLifetime"/>), optionally bound to a pod (deleting the pod revokes it). Nothing is stored.
/// </summary>
internal sealed class TokenRequests(ObjectStore store, ServiceAccountTokens tokens, TimeProvider clock)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The API server's cap (kube-apiserver's --service-account-max-token-expiration); pod tokens ask for this much.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    public async Task HandleAsync(HttpContext context, ResourceRequest r)
    {
        var ns = r.Namespace!;
        var name = r.Name!;
        var body = await HttpJson.ReadObjectAsync(context).ConfigureAwait(false);
        var account = store.Get(new ObjectKey("serviceaccounts", ns, name)) ?? throw ApiErrors.NotFound(r.Definition, name);
        var spec = body["spec"] as JsonObject ?? [];
        var audiences = (spec["audiences"] as JsonArray ?? []).Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();
        if (audiences.Count == 0)
        {
            audiences = [ServiceAccountTokens.ApiAudience];
        }
        var seconds = spec["expirationSeconds"] is JsonValue e && e.TryGetValue<long>(out var n) ? n : (long)DefaultLifetime.TotalSeconds;
        if (seconds < MinLifetime.TotalSeconds)
        {
            throw Invalid(name, "spec.expirationSeconds", seconds, "may not specify a duration less than 10 minutes");
        }
        var lifetime = TimeSpan.FromSeconds(Math.Min(seconds, MaxLifetime.TotalSeconds));
        (string Name, string Uid)? pod = null;
        if (spec["boundObjectRef"] is JsonObject bound)
        {
            var kind = Text(bound["kind"]);
            var podName = Text(bound["name"]) ?? "";
            if (kind != "Pod")
            {
                throw Invalid(name, "spec.boundObjectRef.kind", kind ?? "", "only Pod is supported");
            }
            var found = store.Get(new ObjectKey("pods", ns, podName)) ?? throw ApiErrors.NotFound("pods", podName);
            var uid = ObjectMeta.Uid(found);
            if (Text(bound["uid"]) is { Length: > 0 } wanted && wanted != uid)
            {
                throw new ApiException(409, "Conflict", $"the UID in the bound object reference ({wanted}) does not match the UID in record ({uid}); the object might have been deleted and then recreated");
            }
            pod = (podName, uid);
            bound["uid"] = uid;
        }
        var now = clock.GetUtcNow();
        spec["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]);
        spec["expirationSeconds"] = (long)lifetime.TotalSeconds;
        var token = tokens.Issue(ns, name, ObjectMeta.Uid(account), audiences, now, lifetime, pod);
        var answer = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = ObjectMeta.Timestamp(now) },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = (now + lifetime).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
        };
        await HttpJson.WriteAsync(context, 201, answer).ConfigureAwait(false);
    }

    private static ApiException Invalid(string name, string field, object value, string detail) =>
        new(422, "Invalid", $"TokenRequest.authentication.k8s.io \"{name}\" is invalid: {field}: Invalid value: {value}: {detail}",
            new JsonObject
            {
                ["name"] = name,
                ["group"] = "authentication.k8s.io",
                ["kind"] = "TokenRequest",
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: {value}: {detail}", ["field"] = field }),
            });

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
