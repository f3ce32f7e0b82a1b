using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cdi.Api.Upload;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.Uploads;

/// <summary>
/// <c>POST /apis/upload.cdi.kubevirt.io/v1beta1/namespaces/NS/uploadtokenrequests</c>: create-only, nothing stored;
/// the answer is the request with <c>status.token</c>, a token for an upload into <c>spec.pvcName</c> in NS. Behind
/// the API server's authentication, as upstream's aggregated API is behind the front proxy.
/// </summary>
internal sealed partial class UploadTokenService(ObjectStore store, ECDsa key, TimeProvider clock)
{
    public async Task HandleAsync(HttpContext context, string ns)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            throw new ApiException(405, "MethodNotAllowed", "uploadtokenrequests can only be created (POST)");
        }
        var body = await HttpJson.ReadNodeAsync(context).ConfigureAwait(false) as JsonObject
            ?? throw ApiErrors.BadRequest("the request body is not an UploadTokenRequest object");
        var kind = Text(body["kind"]);
        if (kind is not null && kind != UploadTokenRequest.KindName)
        {
            throw ApiErrors.BadRequest($"the body is a {kind}, not an {UploadTokenRequest.KindName}");
        }
        var name = Text(body["metadata"]?["name"]) ?? "";
        var pvcName = Text(body["spec"]?["pvcName"]);
        if (string.IsNullOrEmpty(pvcName) || pvcName.Length > 253 || !DnsSubdomain().IsMatch(pvcName))
        {
            throw new ApiException(422, "Invalid",
                $"UploadTokenRequest.upload.cdi.kubevirt.io \"{name}\" is invalid: spec.pvcName: {(string.IsNullOrEmpty(pvcName) ? "Required value" : "Invalid value: a claim name (lower case letters, digits, '-' and '.')")}");
        }
        if (store.Get(new ObjectKey("namespaces", "", ns)) is null)
        {
            throw ApiErrors.NotFound("namespaces", ns);
        }
        var answer = (JsonObject)body.DeepClone();
        answer["apiVersion"] = $"{UploadTokenRequest.Group}/{UploadTokenRequest.Version}";
        answer["kind"] = UploadTokenRequest.KindName;
        var metadata = answer["metadata"] as JsonObject ?? [];
        answer["metadata"] = metadata;
        metadata["namespace"] = ns;
        metadata["creationTimestamp"] = clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        answer["status"] = new JsonObject { ["token"] = UploadTokens.Issue(key, ns, pvcName, clock.GetUtcNow()) };
        await HttpJson.WriteAsync(context, 201, answer).ConfigureAwait(false);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex DnsSubdomain();
}
