using System.Text.Json.Nodes;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Tests.Support;

namespace Cdi.Kube.Tests.Rest;

[Collection(LocalClusterCollection.Name)]
public sealed class ClientCrudTests(LocalClusterFixture cluster)
{
    private KubeClient Client => cluster.Client;

    [Fact]
    public async Task Create_get_update_patch_delete_round_trip()
    {
        var ns = await cluster.NewNamespaceAsync();
        var created = await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "cm", Namespace = ns, Labels = new() { ["app"] = "cdi" } },
            Data = new() { ["a"] = "1" },
        });
        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();

        var fetched = await Client.GetAsync(KubeResources.ConfigMaps, "cm", ns);
        fetched.Data.Should().Equal(new Dictionary<string, string> { ["a"] = "1" });

        var updated = await Client.UpdateAsync(KubeResources.ConfigMaps, fetched with { Data = new() { ["a"] = "2" } });
        updated.Data!["a"].Should().Be("2");
        updated.Metadata.ResourceVersion.Should().NotBe(fetched.Metadata.ResourceVersion);

        var merged = await Client.PatchAsync(KubeResources.ConfigMaps, "cm", ns, PatchType.Merge, """{"data":{"b":"3"}}""");
        merged.Data.Should().Equal(new Dictionary<string, string> { ["a"] = "2", ["b"] = "3" });

        var jsonPatched = await Client.PatchAsync(KubeResources.ConfigMaps, "cm", ns, PatchType.Json,
            """[{"op":"replace","path":"/data/a","value":"4"},{"op":"remove","path":"/data/b"}]""");
        jsonPatched.Data.Should().Equal(new Dictionary<string, string> { ["a"] = "4" });

        await Client.DeleteAsync(KubeResources.ConfigMaps, "cm", ns);
        (await Client.TryGetAsync(KubeResources.ConfigMaps, "cm", ns)).Should().BeNull();
        var missing = await FluentActions.Awaiting(() => Client.GetAsync(KubeResources.ConfigMaps, "cm", ns))
            .Should().ThrowAsync<KubeApiException>();
        missing.Which.Reason.Should().Be(KubeErrorReason.NotFound);
        missing.Which.Status.Code.Should().Be(404);
    }

    [Fact]
    public async Task Strategic_merge_and_server_side_apply_patches()
    {
        var ns = await cluster.NewNamespaceAsync();
        var applied = await Client.PatchAsync(KubeResources.ConfigMaps, "ssa", ns, PatchType.Apply,
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa","namespace":"NS"},"data":{"a":"1"}}""".Replace("NS", ns, StringComparison.Ordinal),
            new PatchOptions { FieldManager = "cdi-test", Force = true });
        applied.Data.Should().Equal(new Dictionary<string, string> { ["a"] = "1" });

        var strategic = await Client.PatchAsync(KubeResources.ConfigMaps, "ssa", ns, PatchType.StrategicMerge,
            """{"metadata":{"labels":{"x":"y"}},"data":{"b":"2"}}""");
        strategic.Metadata.Labels.Should().Contain("x", "y");
        strategic.Data.Should().Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });

        await FluentActions.Awaiting(() => Client.PatchAsync(KubeResources.ConfigMaps, "ssa", ns, PatchType.Apply, "{}"))
            .Should().ThrowAsync<ArgumentException>("server-side apply needs a field manager");
    }

    [Fact]
    public async Task Stale_update_is_a_typed_conflict_and_duplicate_create_is_AlreadyExists()
    {
        var ns = await cluster.NewNamespaceAsync();
        var first = await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "c", Namespace = ns } });
        await Client.UpdateAsync(KubeResources.ConfigMaps, first with { Data = new() { ["x"] = "1" } });

        var conflict = await FluentActions.Awaiting(() => Client.UpdateAsync(KubeResources.ConfigMaps, first with { Data = new() { ["x"] = "2" } }))
            .Should().ThrowAsync<KubeApiException>();
        conflict.Which.IsConflict.Should().BeTrue();
        conflict.Which.Status.Code.Should().Be(409);

        var duplicate = await FluentActions.Awaiting(() => Client.CreateAsync(KubeResources.ConfigMaps, first))
            .Should().ThrowAsync<KubeApiException>();
        duplicate.Which.IsAlreadyExists.Should().BeTrue();
    }

    [Fact]
    public async Task Status_subresource_update_changes_only_status()
    {
        var ns = await cluster.NewNamespaceAsync();
        var claim = await Client.CreateAsync(KubeResources.PersistentVolumeClaims, new PersistentVolumeClaim
        {
            Metadata = new ObjectMeta { Name = "pvc", Namespace = ns },
            // A class nobody provisions, so nothing else writes this claim meanwhile.
            Spec = new PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"], StorageClassName = "nobody",
                Resources = new VolumeResourceRequirements { Requests = new() { ["storage"] = "1Mi" } },
            },
        });
        var updated = await Client.UpdateStatusAsync(KubeResources.PersistentVolumeClaims, claim with
        {
            Status = new PersistentVolumeClaimStatus { Phase = "Lost" },
        });
        updated.Status!.Phase.Should().Be("Lost");
        updated.Spec!.StorageClassName.Should().Be("nobody");
    }

    [Fact]
    public async Task Unstructured_objects_take_the_same_path()
    {
        var ns = await cluster.NewNamespaceAsync();
        var type = KubeResources.Unstructured("", "v1", "configmaps", true, "ConfigMap");
        var created = await Client.CreateAsync(type, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "raw", ["namespace"] = ns },
            ["data"] = new JsonObject { ["k"] = "v" },
        });
        created["metadata"]!["uid"]!.GetValue<string>().Should().NotBeEmpty();
        var list = await Client.ListAsync(type, ns);
        list.Items.Should().ContainSingle(o => o["data"]!["k"]!.GetValue<string>() == "v");
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_lists()
    {
        var ns = await cluster.NewNamespaceAsync();
        foreach (var (name, tier) in new[] { ("a", "front"), ("b", "back"), ("c", "front") })
        {
            await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new() { ["tier"] = tier } },
            });
        }
        var front = await Client.ListAsync(KubeResources.ConfigMaps, ns, new ListOptions { LabelSelector = "tier=front" });
        front.Items.Select(c => c.Metadata.Name).Should().BeEquivalentTo(["a", "c"]);
        var notFront = await Client.ListAsync(KubeResources.ConfigMaps, ns, new ListOptions { LabelSelector = "tier!=front" });
        notFront.Items.Select(c => c.Metadata.Name).Should().Contain("b").And.NotContain(["a", "c"]);
        var byName = await Client.ListAsync(KubeResources.ConfigMaps, ns, new ListOptions { FieldSelector = "metadata.name=b" });
        byName.Items.Select(c => c.Metadata.Name).Should().Equal("b");
    }

    [Fact]
    public async Task Pagination_walks_every_item_once()
    {
        var ns = await cluster.NewNamespaceAsync();
        for (var i = 0; i < 25; i++)
        {
            await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
            {
                Metadata = new ObjectMeta { Name = $"page-{i:D2}", Namespace = ns, Labels = new() { ["set"] = "pages" } },
            });
        }
        var pages = new List<int>();
        var names = new List<string>();
        await foreach (var page in Client.ListPagesAsync(KubeResources.ConfigMaps, ns, new ListOptions { Limit = 10, LabelSelector = "set=pages" }))
        {
            pages.Add(page.Items.Count);
            names.AddRange(page.Items.Select(c => c.Metadata.Name!));
        }
        pages.Should().HaveCountGreaterThanOrEqualTo(3).And.OnlyContain(n => n <= 10);
        names.Should().OnlyHaveUniqueItems().And.HaveCount(25);
    }

    [Fact]
    public async Task Deleting_an_owner_collects_its_dependents()
    {
        var ns = await cluster.NewNamespaceAsync();
        var owner = await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "owner", Namespace = ns } });
        await Client.CreateAsync(KubeResources.Secrets, new Secret
        {
            Metadata = new ObjectMeta
            {
                Name = "owned", Namespace = ns,
                OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid!, Controller = true }],
            },
        });
        await Client.DeleteAsync(KubeResources.ConfigMaps, "owner", ns, new DeleteOptions { PropagationPolicy = "Background" });
        await Eventually.UntilAsync(async () => await Client.TryGetAsync(KubeResources.Secrets, "owned", ns) is null, "the owned secret to be collected");
    }

    [Fact]
    public async Task Delete_preconditions_guard_against_deleting_a_newer_object()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "p", Namespace = ns } });
        var wrongUid = await FluentActions.Awaiting(() => Client.DeleteAsync(KubeResources.ConfigMaps, "p", ns,
            new DeleteOptions { Preconditions = new Preconditions { Uid = "not-the-uid" } })).Should().ThrowAsync<KubeApiException>();
        wrongUid.Which.IsConflict.Should().BeTrue();
        (await Client.TryGetAsync(KubeResources.ConfigMaps, "p", ns)).Should().NotBeNull();
    }
}
