namespace Cdi.Doctor.Tests.Live;

/// <summary>The live doctor tests share one local cluster, nginx and registry pair (and so run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class DoctorLiveCollection : ICollectionFixture<DoctorClusterFixture>
{
    public const string Name = "doctor-live";
}
