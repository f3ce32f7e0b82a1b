using System.Security.Cryptography;
using System.Text;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Storage;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.Authentication;

/// <summary>
/// Who a request is: the kubeconfig's bearer token is the cluster admin (<c>system:masters</c>); a service-account
/// token this cluster issued is <c>system:serviceaccount:NS:NAME</c> while its account (and the pod it is bound to)
/// still exists; anything else is 401 (the Status says only "Unauthorized", as Kubernetes'; the reason is for the
/// server's log). Then <c>Impersonate-User</c>/<c>Impersonate-Group</c> switch identity when the caller may
/// <c>impersonate</c> those users, service accounts and groups (403 otherwise), which is what <c>kubectl --as</c> sends.
/// </summary>
internal sealed class RequestAuthenticator(string adminToken, ServiceAccountTokens tokens, ObjectStore store, IAuthorizer authorizer, TimeProvider clock)
{
    private readonly byte[] _admin = Encoding.UTF8.GetBytes(adminToken);

    /// <summary>The authenticated (and possibly impersonated) user, or null and why not; throws 403 for impersonation not allowed.</summary>
    public UserInfo? Authenticate(HttpRequest request, out string? refusal)
    {
        var user = Identify(request.Headers.Authorization.ToString(), out refusal);
        return user is null ? null : Impersonate(user, request.Headers);
    }

    private UserInfo? Identify(string header, out string? refusal)
    {
        refusal = null;
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            refusal = "no bearer token";
            return null;
        }
        var token = header[prefix.Length..].Trim();
        if (token.Length > ServiceAccountTokens.MaxLength)
        {
            refusal = "the bearer token is too long";
            return null;
        }
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _admin))
        {
            return UserInfo.ClusterAdmin;
        }
        if (tokens.Validate(token, clock.GetUtcNow(), out var problem) is not { } claims)
        {
            refusal = problem;
            return null;
        }
        // A token outlives nothing it names: deleting the account (or the pod it was issued for) revokes it.
        var account = store.Get(new ObjectKey("serviceaccounts", claims.Namespace, claims.Name));
        if (account is null || ObjectMeta.Uid(account) != claims.Uid)
        {
            refusal = $"service account {claims.Namespace}/{claims.Name} no longer exists";
            return null;
        }
        if (claims.PodName is { } podName)
        {
            var pod = store.Get(new ObjectKey("pods", claims.Namespace, podName));
            if (pod is null || ObjectMeta.Uid(pod) != claims.PodUid)
            {
                refusal = $"the token is bound to pod {claims.Namespace}/{podName}, which no longer exists";
                return null;
            }
        }
        return RbacNames.ServiceAccount(claims.Namespace, claims.Name);
    }

    private UserInfo Impersonate(UserInfo caller, IHeaderDictionary headers)
    {
        var name = headers["Impersonate-User"].ToString();
        var groups = headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (name.Length == 0)
        {
            return groups.Count == 0 ? caller : throw ApiErrors.BadRequest("Impersonate-Group requires Impersonate-User");
        }
        var account = RbacNames.ParseServiceAccount(name);
        var asUser = account is { } sa
            ? new ResourceAttributes("impersonate", "", "serviceaccounts", null, sa.Namespace, sa.Name)
            : new ResourceAttributes("impersonate", "", "users", null, null, name);
        Require(caller, asUser);
        foreach (var g in groups)
        {
            Require(caller, new ResourceAttributes("impersonate", "", "groups", null, null, g));
        }
        if (account is { } a)
        {
            groups.AddRange([RbacNames.ServiceAccounts, RbacNames.ServiceAccounts + ":" + a.Namespace]);
        }
        if (name != "system:anonymous" && !groups.Contains("system:unauthenticated"))
        {
            groups.Add(RbacNames.Authenticated);
        }
        return new UserInfo(name, [.. groups.Distinct(StringComparer.Ordinal)]);
    }

    private void Require(UserInfo caller, ResourceAttributes attributes)
    {
        var decision = authorizer.Authorize(caller, attributes);
        if (!decision.Allowed)
        {
            throw ForbiddenError.For(caller, attributes, decision.Reason);
        }
    }
}
