namespace Cdi.Cli.Tests.Uploads;

/// <summary>Upload test classes share one cluster (and run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class UploadCollection : ICollectionFixture<UploadEnvironment>
{
    public const string Name = "uploads";
}
