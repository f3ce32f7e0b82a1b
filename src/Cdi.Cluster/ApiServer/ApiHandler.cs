using System.Text.Json.Nodes;
using Cdi.Cluster.Authentication;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Controllers;
using Cdi.Cluster.Discovery;
using Cdi.Kube.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// The HTTP entry point: health and version, then authentication (<see cref="RequestAuthenticator"/>) and
/// authorization of every other request (<see cref="RbacAuthorizer"/>: resource URLs by verb and resource, discovery
/// and OpenAPI as non-resource paths), then discovery and the resource URLs. Health and version are public, as
/// Kubernetes' system:public-info-viewer role makes them.
/// </summary>
internal sealed class ApiHandler(ResourceRegistry registry, ResourceHandler resources, RequestAuthenticator authenticator, RbacAuthorizer authorizer,
    Func<string> serverAddress, IReadOnlyList<IController> controllers, ILogger logger, Uploads.UploadTokenService? uploadTokens = null)
{
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
        var user = authenticator.Authenticate(context.Request, out var refusal);
        if (user is null)
        {
            // Kubernetes tells the client only "Unauthorized"; why is for the server's log.
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("{Method} {Path} unauthenticated: {Reason}", context.Request.Method, context.Request.Path.Value, refusal);
            }
            throw new ApiException(401, "Unauthorized", "Unauthorized");
        }
        RequestUser.Set(context, user);
        if (ResourcePath(segments) is null)
        {
            // Discovery, OpenAPI and unknown paths: non-resource URLs (system:discovery grants the served ones).
            AuthorizePath(context, user, path);
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
                Authorize(user, new ResourceAttributes(HttpMethods.IsPost(context.Request.Method) ? "create" : context.Request.Method.ToLowerInvariant(),
                    Api.Upload.UploadTokenRequest.Group, Api.Upload.UploadTokenRequest.Plural, null, ns, null));
                await uploadTokens.HandleAsync(context, ns).ConfigureAwait(false);
                return;
            case ["api", var v, .. var rest]:
                await Resource(context, user, ResourceRequest.Parse(registry, "", v, rest)).ConfigureAwait(false);
                return;
            case ["apis", var g, var v, .. var rest]:
                await Resource(context, user, ResourceRequest.Parse(registry, g, v, rest)).ConfigureAwait(false);
                return;
            default:
                throw ApiErrors.PageNotFound();
        }
    }

    private async Task Resource(HttpContext context, UserInfo user, ResourceRequest? request)
    {
        var r = request ?? throw ApiErrors.PageNotFound();
        Authorize(user, RequestVerbs.Attributes(context.Request.Method, context.Request.Query, r));
        await resources.HandleAsync(context, r).ConfigureAwait(false);
    }

    /// <summary>The resource part of an /api or /apis path (past the version), or null for discovery.</summary>
    private static string[]? ResourcePath(string[] segments) => segments switch
    {
        ["api", _, _, ..] => segments[2..],
        ["apis", _, _, _, ..] => segments[3..],
        _ => null,
    };

    private void Authorize(UserInfo user, ResourceAttributes attributes)
    {
        var decision = authorizer.Authorize(user, attributes);
        if (!decision.Allowed)
        {
            throw ForbiddenError.For(user, attributes, decision.Reason);
        }
    }

    private void AuthorizePath(HttpContext context, UserInfo user, string path)
    {
        var verb = context.Request.Method.ToLowerInvariant() is "head" ? "get" : context.Request.Method.ToLowerInvariant();
        var normalized = path.Length == 0 ? "/" : path;
        if (!authorizer.AuthorizePath(user, verb, normalized).Allowed)
        {
            throw ForbiddenError.ForPath(user, verb, normalized);
        }
    }

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
}
