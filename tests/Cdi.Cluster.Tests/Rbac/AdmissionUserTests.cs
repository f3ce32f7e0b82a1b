using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;
using Cdi.Cluster.Validation;

namespace Cdi.Cluster.Tests.Rbac;

/// <summary>The writer's identity reaches admission on create, update and status writes (clone admission asks RBAC about it).</summary>
public sealed class AdmissionUserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdi-admission-user-").FullName;

    private sealed class Recorder : IAdmissionValidator
    {
        public List<(AdmissionOperation, string?, string)> Seen { get; } = [];

        public AdmissionStage Stage => AdmissionStage.ValidatingAdmission;

        public IReadOnlyList<FieldError> Validate(AdmissionRequest request)
        {
            Seen.Add((request.Operation, request.Subresource, request.User.Name));
            return [];
        }
    }

    [Fact]
    public void Create_update_and_status_writes_carry_the_requesting_user()
    {
        using var store = ObjectStore.Open(Path.Combine(_dir, "a.db"));
        var recorder = new Recorder();
        var objects = new ObjectService(store, new ResourceRegistry(BuiltInResources.All), TimeProvider.System, new AdmissionChain([recorder]));
        var namespaces = objects.Registry.Find("", "v1", "namespaces")!;
        var claims = objects.Registry.Find("", "v1", "persistentvolumeclaims")!;
        objects.Create(namespaces, "v1", null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "work" } }, WriteOptions.Internal);
        var importer = RbacNames.ServiceAccount("work", "importer");
        var write = new WriteOptions(false, "Ignore") { User = importer };

        objects.Create(claims, "v1", "work", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c" }, ["spec"] = new JsonObject() }, write);
        objects.Replace(claims, "v1", "work", "c", o =>
        {
            ObjectMeta.Metadata(o)["labels"] = new JsonObject { ["a"] = "b" };
            return o;
        }, statusOnly: false, write);
        objects.Replace(claims, "v1", "work", "c", o =>
        {
            o["status"] = new JsonObject { ["phase"] = "Bound" };
            return o;
        }, statusOnly: true, write);

        recorder.Seen.Should().Equal(
            (AdmissionOperation.Create, null, "cdi-admin"),
            (AdmissionOperation.Create, null, importer.Name),
            (AdmissionOperation.Update, null, importer.Name),
            (AdmissionOperation.Update, "status", importer.Name));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
