using Cdi.Cluster.Authorization;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.Authentication;

/// <summary>The authenticated user of a request, kept on its HttpContext for the handlers behind authentication.</summary>
internal static class RequestUser
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, UserInfo user) => context.Items[Key] = user;

    /// <summary>The request's user; the cluster admin for a context that never passed authentication (in-process callers).</summary>
    public static UserInfo Of(HttpContext context) => context.Items.TryGetValue(Key, out var u) && u is UserInfo user ? user : UserInfo.ClusterAdmin;
}
