using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// The request body limit kube-apiserver applies (3 MiB, then 413 RequestEntityTooLarge). Set per request, so
/// Kestrel stops reading there, and checked against Content-Length before reading at all.
/// </summary>
internal static class RequestLimits
{
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    public static void Apply(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = MaxBodyBytes;
        }
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }
    }

    public static ApiException TooLarge() =>
        new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {MaxBodyBytes}");
}
