using System.Text.Json.Nodes;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Tests.Rbac;

/// <summary>The RBAC decision table over stored roles and bindings, without HTTP.</summary>
public sealed class RbacAuthorizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdi-rbac-").FullName;
    private readonly ObjectStore _store;
    private readonly RbacAuthorizer _rbac;

    private static readonly UserInfo Importer = RbacNames.ServiceAccount("work", "importer");
    private static readonly UserInfo Alice = new("alice", ["devs", RbacNames.Authenticated]);

    public RbacAuthorizerTests()
    {
        _store = ObjectStore.Open(Path.Combine(_dir, "rbac.db"));
        _rbac = new RbacAuthorizer(_store);
        Put(RbacNames.Roles, "work", "pods-reader", Rule(["get", "list", "watch"], [""], ["pods"]));
        Put(RbacNames.Roles, "work", "log-reader", Rule(["get"], [""], ["pods/log"]));
        Put(RbacNames.Roles, "work", "one-map", Rule(["get", "update"], [""], ["configmaps"], names: ["settings"]));
        Put(RbacNames.ClusterRoles, "", "status-writer", Rule(["update", "patch"], ["*"], ["*/status"]));
        Put(RbacNames.ClusterRoles, "", "dv-admin", Rule(["*"], ["cdi.kubevirt.io"], ["*"]));
        Put(RbacNames.ClusterRoles, "", "metrics", new JsonObject { ["verbs"] = new JsonArray("get"), ["nonResourceURLs"] = new JsonArray("/metrics", "/debug/*") });
        Bind(RbacNames.RoleBindings, "work", "importer-pods", "Role", "pods-reader", Subject("ServiceAccount", "importer", ns: null));
        Bind(RbacNames.RoleBindings, "work", "importer-log", "Role", "log-reader", Subject("ServiceAccount", "importer", ns: "work"));
        Bind(RbacNames.RoleBindings, "work", "importer-map", "Role", "one-map", Subject("ServiceAccount", "importer", ns: "work"));
        // A ClusterRole bound by a RoleBinding grants only inside that namespace.
        Bind(RbacNames.RoleBindings, "work", "devs-dvs", "ClusterRole", "dv-admin", Subject("Group", "devs", ns: null));
        Bind(RbacNames.ClusterRoleBindings, "", "alice-status", "ClusterRole", "status-writer", Subject("User", "alice", ns: null));
        Bind(RbacNames.ClusterRoleBindings, "", "alice-metrics", "ClusterRole", "metrics", Subject("User", "alice", ns: null));
        // Bindings to roles that do not exist grant nothing.
        Bind(RbacNames.RoleBindings, "work", "dangling", "Role", "absent", Subject("User", "alice", ns: null));
    }

    public static TheoryData<string, string, string, string, string?, string?, string?, bool> Decisions => new()
    {
        // user, verb, group, resource, subresource, namespace, name, allowed
        { "importer", "list", "", "pods", null, "work", null, true },
        { "importer", "watch", "", "pods", null, "work", null, true },
        { "importer", "get", "", "pods", null, "work", "p", true },
        { "importer", "delete", "", "pods", null, "work", "p", false },
        { "importer", "list", "", "pods", null, "other", null, false },
        { "importer", "list", "", "pods", null, null, null, false },
        { "importer", "get", "", "pods", "log", "work", "p", true },
        { "importer", "get", "", "pods", "exec", "work", "p", false },
        { "importer", "get", "apps", "pods", null, "work", "p", false },
        { "importer", "get", "", "configmaps", null, "work", "settings", true },
        { "importer", "update", "", "configmaps", null, "work", "settings", true },
        { "importer", "get", "", "configmaps", null, "work", "other", false },
        { "importer", "list", "", "configmaps", null, "work", null, false },
        { "alice", "update", "", "pods", "status", "any", "p", true },
        { "alice", "patch", "cdi.kubevirt.io", "datavolumes", "status", null, "d", true },
        { "alice", "update", "", "pods", null, "any", "p", false },
        { "alice", "get", "", "pods", "status", "any", "p", false },
        { "alice", "create", "cdi.kubevirt.io", "datavolumes", null, "work", null, true },
        { "alice", "deletecollection", "cdi.kubevirt.io", "datasources", null, "work", null, true },
        { "alice", "create", "cdi.kubevirt.io", "datavolumes", null, "other", null, false },
        { "alice", "create", "", "pods", null, "work", null, false },
        { "bob", "get", "", "pods", null, "work", "p", false },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Rules_bindings_and_scopes_decide(string user, string verb, string group, string resource, string? sub, string? ns, string? name, bool allowed)
    {
        var who = user switch
        {
            "importer" => Importer,
            "alice" => Alice,
            _ => new UserInfo(user, [RbacNames.Authenticated]),
        };
        var decision = _rbac.Authorize(who, new ResourceAttributes(verb, group, resource, sub, ns, name));
        decision.Allowed.Should().Be(allowed, decision.Reason);
    }

    [Fact]
    public void An_allowed_decision_names_the_binding_that_allowed_it()
    {
        _rbac.Authorize(Importer, new ResourceAttributes("list", "", "pods", null, "work", null)).Reason
            .Should().Be("RBAC: allowed by RoleBinding \"importer-pods\" in namespace \"work\" of Role \"pods-reader\"");
    }

    [Fact]
    public void A_service_account_of_another_namespace_is_not_the_subject()
    {
        _rbac.Authorize(RbacNames.ServiceAccount("other", "importer"), new ResourceAttributes("list", "", "pods", null, "work", null)).Allowed.Should().BeFalse();
    }

    [Fact]
    public void System_masters_are_allowed_everything_without_any_binding()
    {
        _rbac.Authorize(UserInfo.ClusterAdmin, new ResourceAttributes("delete", "", "nodes", null, null, "n")).Allowed.Should().BeTrue();
        _rbac.AuthorizePath(UserInfo.ClusterAdmin, "get", "/anything").Allowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("get", "/metrics", true)]
    [InlineData("get", "/debug/pprof", true)]
    [InlineData("post", "/metrics", false)]
    [InlineData("get", "/metricsx", false)]
    [InlineData("get", "/api", false)]
    public void Non_resource_urls_match_exactly_or_by_a_trailing_star(string verb, string path, bool allowed) =>
        _rbac.AuthorizePath(Alice, verb, path).Allowed.Should().Be(allowed);

    [Fact]
    public void Rules_for_a_user_in_a_namespace_collect_namespace_and_cluster_grants()
    {
        var rules = _rbac.RulesFor(Importer, "work");
        rules.SelectMany(r => r.Resources).Should().BeEquivalentTo(["pods", "pods/log", "configmaps"]);
        _rbac.RulesFor(Importer, "other").Should().BeEmpty();
    }

    private void Put(string groupResource, string ns, string name, params JsonObject[] rules)
    {
        var meta = new JsonObject { ["name"] = name, ["uid"] = Guid.NewGuid().ToString() };
        if (ns.Length > 0)
        {
            meta["namespace"] = ns;
        }
        _store.Write(new ObjectKey(groupResource, ns, name), _ => StoreWrite.Put(new JsonObject { ["metadata"] = meta, ["rules"] = new JsonArray([.. rules]) }));
    }

    private void Bind(string groupResource, string ns, string name, string roleKind, string role, JsonObject subject)
    {
        var meta = new JsonObject { ["name"] = name, ["uid"] = Guid.NewGuid().ToString() };
        if (ns.Length > 0)
        {
            meta["namespace"] = ns;
        }
        _store.Write(new ObjectKey(groupResource, ns, name), _ => StoreWrite.Put(new JsonObject
        {
            ["metadata"] = meta,
            ["roleRef"] = new JsonObject { ["apiGroup"] = RbacNames.Group, ["kind"] = roleKind, ["name"] = role },
            ["subjects"] = new JsonArray(subject),
        }));
    }

    private static JsonObject Rule(string[] verbs, string[] groups, string[] resources, string[]? names = null)
    {
        var rule = new JsonObject
        {
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
            ["apiGroups"] = new JsonArray([.. groups.Select(v => (JsonNode)v)]),
            ["resources"] = new JsonArray([.. resources.Select(v => (JsonNode)v)]),
        };
        if (names is not null)
        {
            rule["resourceNames"] = new JsonArray([.. names.Select(v => (JsonNode)v)]);
        }
        return rule;
    }

    private static JsonObject Subject(string kind, string name, string? ns)
    {
        var subject = new JsonObject { ["kind"] = kind, ["name"] = name };
        if (ns is not null)
        {
            subject["namespace"] = ns;
        }
        return subject;
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
