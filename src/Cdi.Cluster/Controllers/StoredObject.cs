using System.Text.Json.Nodes;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Controllers;

/// <summary>An object of any resource as the store holds it: frozen, so readers clone before editing.</summary>
internal sealed record StoredObject(string GroupResource, JsonObject Object)
{
    public ObjectKey Key => new(GroupResource, ObjectMeta.Namespace(Object), ObjectMeta.Name(Object));
}
