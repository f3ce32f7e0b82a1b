namespace Cdi.Cluster.Tests.Node;

[CollectionDefinition(Name)]
public sealed class NodeClusterCollection : ICollectionFixture<NodeClusterFixture>
{
    public const string Name = "local cluster with node";
}
