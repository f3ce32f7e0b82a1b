namespace Cdi.Cli.Tests.Crash;

/// <summary>Crash tests run alone: each drives ten imports on a 2-core machine, and their fault timing should not compete with other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashCollection
{
    public const string Name = "crash";
}
