namespace Cdi.Cluster.Tests.Kubectl;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<SharedCluster>
{
    public const string Name = "local cluster";
}
