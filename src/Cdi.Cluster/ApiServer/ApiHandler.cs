using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cdi.Cluster.Controllers;
using Cdi.Cluster.Discovery;
using Cdi.Kube.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// The HTTP entry point: bearer-token authentication, health and version, discovery, then the resource URLs.
/// Health and version are public, as Kubernetes' system:public-info-viewer role makes them.
/// </summary>
internal sealed class ApiHandler(ResourceRegistry registry, ResourceHandler resources, string bearerToken, Func<string> serverAddress, IReadOnlyList<IController> controllers, ILogger logger,
    Uploads.UploadTokenService? uploadTokens = null)
{
    private readonly byte[] _token = Encoding.UTF8.GetBytes(bearerToken);

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            RequestLimits.Apply(context);
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusals while reading the request (body over the limit, truncated chunking): a Status
            // like any other bad input, never the catch-all below.
            if (!context.Response.HasStarted)
            {
                var refusal = e.StatusCode == 413 ? RequestLimits.TooLarge() : ApiErrors.BadRequest($"the request could not be read: {e.Message}");
                await HttpJson.WriteAsync(context, refusal.Code, refusal.ToStatus()).ConfigureAwait(false);
            }
        }
        catch (ApiException e)
        {
            if (!context.Response.HasStarted)
            {
                if (e.Details?["retryAfterSeconds"] is { } retry)
                {
                    context.Response.Headers.RetryAfter = retry.ToJsonString();
                }
                await HttpJson.WriteAsync(context, e.Code, e.ToStatus()).ConfigureAwait(false);
            }
        }
        catch (FormatException e)
        {
            // Malformed values inside an otherwise valid body (a quantity such as "1Gx", a broken protobuf).
            if (!context.Response.HasStarted)
            {
                await HttpJson.WriteAsync(context, 400, ApiErrors.BadRequest(e.Message).ToStatus()).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                await HttpJson.WriteAsync(context, 500, new ApiException(500, "InternalError", $"Internal error occurred: {e.Message}").ToStatus()).ConfigureAwait(false);
            }
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimEnd('/') ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var first = segments.Length > 0 ? segments[0] : "";
        if (first is "healthz" or "readyz" or "livez")
        {
            var (ok, text) = HealthReport.Check(first, context.Request.Query.ContainsKey("verbose"), controllers.Select(c => (c.Name, c.Health)));
            // 503 rather than kube-apiserver's 500: not ready is a state, not a server fault.
            context.Response.StatusCode = ok ? 200 : 503;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (first == "version")
        {
            await HttpJson.WriteAsync(context, 200, VersionInfo.Document()).ConfigureAwait(false);
            return;
        }
        if (!Authenticated(context))
        {
            throw new ApiException(401, "Unauthorized", "Unauthorized");
        }
        switch (segments)
        {
            case ["api"]:
                await Discovery(context, DiscoveryDocuments.CoreVersions(serverAddress())).ConfigureAwait(false);
                return;
            case ["apis"]:
                await Discovery(context, DiscoveryDocuments.Groups(registry)).ConfigureAwait(false);
                return;
            case ["api", var v]:
                await Discovery(context, DiscoveryDocuments.ResourceList(registry, "", v)).ConfigureAwait(false);
                return;
            case ["apis", var g]:
                await Discovery(context, DiscoveryDocuments.Group(registry, g)).ConfigureAwait(false);
                return;
            case ["apis", var g, var v]:
                await Discovery(context, DiscoveryDocuments.ResourceList(registry, g, v)).ConfigureAwait(false);
                return;
            case ["openapi", "v3"]:
                await HttpJson.WriteAsync(context, 200, OpenApiDocuments.Index(registry)).ConfigureAwait(false);
                return;
            case ["openapi", "v3", .. var gv]:
                await HttpJson.WriteAsync(context, 200, OpenApiDocuments.GroupVersion(registry, string.Join('/', gv)) ?? throw ApiErrors.PageNotFound()).ConfigureAwait(false);
                return;
            case ["apis", Api.Upload.UploadTokenRequest.Group, Api.Upload.UploadTokenRequest.Version, "namespaces", var ns, Api.Upload.UploadTokenRequest.Plural]
                when uploadTokens is not null:
                await uploadTokens.HandleAsync(context, ns).ConfigureAwait(false);
                return;
            case ["api", var v, .. var rest]:
                await Resource(context, ResourceRequest.Parse(registry, "", v, rest)).ConfigureAwait(false);
                return;
            case ["apis", var g, var v, .. var rest]:
                await Resource(context, ResourceRequest.Parse(registry, g, v, rest)).ConfigureAwait(false);
                return;
            default:
                throw ApiErrors.PageNotFound();
        }
    }

    private async Task Resource(HttpContext context, ResourceRequest? request) =>
        await resources.HandleAsync(context, request ?? throw ApiErrors.PageNotFound()).ConfigureAwait(false);

    /// <summary>
    /// Legacy discovery. A client that only accepts aggregated discovery (apidiscovery.k8s.io/v2) gets 406 and falls
    /// back; kubectl 1.32 also accepts plain JSON, and client-go tells the two apart by the response's content type.
    /// </summary>
    private static async Task Discovery(HttpContext context, JsonObject? document)
    {
        if (document is null)
        {
            throw ApiErrors.PageNotFound();
        }
        var accept = context.Request.Headers.Accept.ToString();
        var acceptsPlain = accept.Length == 0 || accept.Split(',').Any(a =>
        {
            var t = a.Trim();
            return t.StartsWith("*/*", StringComparison.Ordinal) || (t.StartsWith("application/json", StringComparison.Ordinal) && !t.Contains("as=", StringComparison.Ordinal));
        });
        if (!acceptsPlain)
        {
            throw new ApiException(406, "NotAcceptable", "only the following media types are accepted: application/json");
        }
        await HttpJson.WriteAsync(context, 200, document).ConfigureAwait(false);
    }

    private bool Authenticated(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[prefix.Length..].Trim()), _token);
    }
}
