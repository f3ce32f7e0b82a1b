using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cdi.Cluster.Authentication;
using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests.Rbac;

/// <summary>
/// Authentication and RBAC through the real kubectl: impersonation (<c>--as</c>), <c>auth can-i</c>, Kubernetes'
/// Forbidden messages, TokenRequest (<c>create token</c>) and the tokens it issues, and hostile credentials.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RbacKubectlTests(SharedCluster shared)
{
    private LocalCluster Cluster => shared.Cluster;

    private KubectlRunner K => Cluster.Kubectl;

    private async Task<string> ReaderNamespaceAsync()
    {
        var ns = await Cluster.NamespaceAsync("rbac");
        await K.ApplyAsync($$"""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: reader, namespace: {{ns}}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-reader, namespace: {{ns}}}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
            - {apiGroups: [""], resources: [pods/log], verbs: [get]}
            - {apiGroups: [""], resources: [configmaps], resourceNames: [settings], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: reader-pods, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
            subjects:
            - {kind: ServiceAccount, name: reader, namespace: {{ns}}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: {{ns}}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: other, namespace: {{ns}}}
            """);
        return ns;
    }

    [Fact]
    public async Task Auth_can_i_as_a_service_account_answers_what_its_role_grants()
    {
        var ns = await ReaderNamespaceAsync();
        var reader = $"system:serviceaccount:{ns}:reader";
        async Task<string> CanI(params string[] args)
        {
            var r = await K.RunAsync(["auth", "can-i", .. args, "--as", reader]);
            r.ExitCode.Should().Be(r.Stdout.Trim() == "yes" ? 0 : 1, r.Output);
            return r.Stdout.Trim();
        }

        (await CanI("list", "pods", "-n", ns)).Should().Be("yes");
        (await CanI("watch", "pods", "-n", ns)).Should().Be("yes");
        (await CanI("create", "pods", "-n", ns)).Should().Be("no");
        (await CanI("list", "pods", "-n", "default")).Should().Be("no");
        (await CanI("get", "pods", "--subresource=log", "-n", ns)).Should().Be("yes");
        (await CanI("get", "pods", "--subresource=exec", "-n", ns)).Should().Be("no");
        (await CanI("get", "configmaps/settings", "-n", ns)).Should().Be("yes");
        (await CanI("get", "configmaps/other", "-n", ns)).Should().Be("no");
        (await CanI("list", "configmaps", "-n", ns)).Should().Be("no");
        (await CanI("list", "nodes")).Should().Be("no");
        (await K.OkAsync("auth", "can-i", "delete", "nodes")).Trim().Should().Be("yes", "the kubeconfig's user is cluster-admin");

        // A ClusterRoleBinding grants cluster-wide, from the next request on.
        await K.ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: {{ns}}-node-viewer}
            rules:
            - {apiGroups: [""], resources: [nodes], verbs: [list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: {{ns}}-node-viewer}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {{ns}}-node-viewer}
            subjects:
            - {kind: ServiceAccount, name: reader, namespace: {{ns}}}
            """);
        (await CanI("list", "nodes")).Should().Be("yes");
        (await K.OkAsync("get", "nodes", "--as", reader)).Should().Contain("Ready");
        await K.OkAsync("delete", "clusterrolebinding", ns + "-node-viewer");
        (await CanI("list", "nodes")).Should().Be("no");
    }

    [Fact]
    public async Task Requests_beyond_the_role_are_forbidden_with_the_kubernetes_message()
    {
        var ns = await ReaderNamespaceAsync();
        var reader = $"system:serviceaccount:{ns}:reader";

        (await K.RunAsync("get", "pods", "-n", ns, "--as", reader)).ExitCode.Should().Be(0);
        (await K.OkAsync("get", "configmap", "settings", "-n", ns, "--as", reader)).Should().Contain("settings");

        var list = await K.RunAsync("get", "configmaps", "-n", ns, "--as", reader);
        list.ExitCode.Should().Be(1);
        list.Stderr.Trim().Should().Be(
            $"Error from server (Forbidden): configmaps is forbidden: User \"{reader}\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"");
        var named = await K.RunAsync("get", "configmap", "other", "-n", ns, "--as", reader);
        named.Stderr.Trim().Should().Be(
            $"Error from server (Forbidden): configmaps \"other\" is forbidden: User \"{reader}\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"");
        var elsewhere = await K.RunAsync("get", "pods", "-n", "default", "--as", reader);
        elsewhere.Stderr.Should().Contain($"pods is forbidden: User \"{reader}\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
        var cluster = await K.RunAsync("get", "storageclasses", "--as", reader);
        cluster.Stderr.Should().Contain(
            $"storageclasses.storage.k8s.io is forbidden: User \"{reader}\" cannot list resource \"storageclasses\" in API group \"storage.k8s.io\" at the cluster scope");
        var create = await K.RunWithInputAsync($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"x\",\"namespace\":\"{ns}\"}}}}",
            "create", "-f", "-", "--as", reader);
        create.Stderr.Should().Contain($"cannot create resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"");
        (await K.RunAsync("get", "configmap", "x", "-n", ns)).ExitCode.Should().Be(1, "a forbidden create stores nothing");

        // A service account may not impersonate anyone.
        var token = (await K.OkAsync("create", "token", "reader", "-n", ns)).Trim();
        var escalate = await K.RunAsync("get", "pods", "-n", ns, "--token", token, "--as", "cdi-admin");
        escalate.Stderr.Should().Contain(
            $"users \"cdi-admin\" is forbidden: User \"{reader}\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
    }

    [Fact]
    public async Task A_requested_token_authenticates_as_its_service_account_until_the_account_is_deleted()
    {
        var ns = await ReaderNamespaceAsync();
        var token = (await K.OkAsync("create", "token", "reader", "-n", ns, "--duration", "15m")).Trim();
        token.Split('.').Should().HaveCount(3);

        var whoami = await K.OkAsync("auth", "whoami", "--token", token);
        whoami.Should().Contain($"system:serviceaccount:{ns}:reader").And.Contain($"system:serviceaccounts:{ns}").And.Contain("system:authenticated");
        (await K.OkAsync("get", "pods", "-n", ns, "--token", token)).Should().BeEmpty();
        (await K.RunAsync("get", "secrets", "-n", ns, "--token", token)).Stderr.Should().Contain("secrets is forbidden");
        (await K.OkAsync("auth", "can-i", "--list", "-n", ns, "--token", token)).Should().MatchRegex(@"pods/log\s+\[\]\s+\[\]\s+\[get\]");

        await K.OkAsync("delete", "serviceaccount", "reader", "-n", ns);
        var revoked = await K.RunAsync("get", "pods", "-n", ns, "--token", token);
        revoked.ExitCode.Should().Be(1);
        revoked.Stderr.Should().Contain("Unauthorized");
    }

    [Fact]
    public async Task Subject_access_reviews_and_bindings_print_as_kubectl_expects()
    {
        var ns = await ReaderNamespaceAsync();
        var review = await K.RunWithInputAsync($$"""
            {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
             "spec": {"user": "system:serviceaccount:{{ns}}:reader", "groups": ["system:serviceaccounts"],
                      "resourceAttributes": {"namespace": "{{ns}}", "verb": "get", "resource": "pods", "subresource": "log"} } }
            """, "create", "-f", "-", "-o", "json");
        review.ExitCode.Should().Be(0, review.Output);
        var status = JsonNode.Parse(review.Stdout)!["status"]!;
        status["allowed"]!.GetValue<bool>().Should().BeTrue();
        status["reason"]!.GetValue<string>().Should().Contain("RoleBinding \"reader-pods\"");

        var wide = await K.OkAsync("get", "rolebindings", "-n", ns, "-o", "wide");
        wide.Should().MatchRegex($@"NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS").And.MatchRegex($@"reader-pods\s+Role/pod-reader\s+\S+\s+{ns}/reader");
        (await K.OkAsync("get", "roles", "-n", ns)).Should().MatchRegex(@"NAME\s+CREATED AT").And.Contain("pod-reader");
        (await K.OkAsync("get", "clusterrolebindings")).Should().MatchRegex(@"cluster-admin\s+ClusterRole/cluster-admin");
    }

    [Fact]
    public async Task Bindings_that_could_not_mean_anything_are_refused()
    {
        var ns = await Cluster.NamespaceAsync("rbac-invalid");
        var bad = await K.RunWithInputAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: "team:bad", namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Secret, name: x}
            subjects:
            - {kind: Robot, name: r2}
            """, "create", "-f", "-");
        bad.ExitCode.Should().Be(1);
        bad.Stderr.Should().Contain("roleRef.kind: Unsupported value: \"Secret\"").And.Contain("subjects[0].kind: Unsupported value: \"Robot\"");
        var unnamespaced = await K.RunWithInputAsync("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: "team:sa"}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects:
            - {kind: ServiceAccount, name: robot}
            """, "create", "-f", "-");
        unnamespaced.Stderr.Should().Contain("subjects[0].namespace: Required value");
    }

    [Fact]
    public async Task Forged_expired_and_malformed_credentials_are_401_never_500()
    {
        var ns = await ReaderNamespaceAsync();
        using var anonymous = Cluster.Http(authenticated: false);
        using var signing = ECDsa.Create();
        signing.ImportFromPem(await File.ReadAllTextAsync(Cdi.Cluster.Hosting.SigningKeys.Path(Cluster.Directory, Cdi.Cluster.Hosting.SigningKeys.ServiceAccountFile)));
        var uid = JsonNode.Parse(await K.OkAsync("get", "sa", "reader", "-n", ns, "-o", "json"))!["metadata"]!["uid"]!.GetValue<string>();
        var issuer = new ServiceAccountTokens(signing);
        var valid = issuer.Issue(ns, "reader", uid, [ServiceAccountTokens.ApiAudience], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), null);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parts = valid.Split('.');
        var credentials = new Dictionary<string, string>
        {
            ["expired"] = issuer.Issue(ns, "reader", uid, [ServiceAccountTokens.ApiAudience], DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1), null),
            ["foreign key"] = new ServiceAccountTokens(stranger).Issue(ns, "reader", uid, [ServiceAccountTokens.ApiAudience], DateTimeOffset.UtcNow, TimeSpan.FromHours(1), null),
            ["alg none"] = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".",
            ["stale uid"] = issuer.Issue(ns, "reader", "not-the-uid", [ServiceAccountTokens.ApiAudience], DateTimeOffset.UtcNow, TimeSpan.FromHours(1), null),
            ["garbage"] = "not-a-token",
            ["bad base64"] = "@@@.@@@.@@@",
            ["long"] = new string('x', 20_000),
        };
        foreach (var (what, token) in credentials)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await anonymous.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, what);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            body["kind"]!.GetValue<string>().Should().Be("Status", what);
            body["message"]!.GetValue<string>().Should().Be("Unauthorized", what);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", valid);
            (await anonymous.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK, "the same key and claims, current, do authenticate");
        }
        (await anonymous.GetAsync("/api/v1/namespaces")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "no credentials at all");
        using (var huge = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces"))
        {
            huge.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('y', 200_000));
            (await anonymous.SendAsync(huge)).StatusCode.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge, "the server bounds header size before reading them");
        }
    }
}
