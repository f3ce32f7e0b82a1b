using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Doctor.Snapshot;

namespace Cdi.Doctor.Tests;

/// <summary>The dump fixtures (Fixtures/*.json, kubectl List form), read the way <c>cdi doctor --from</c> reads them.</summary>
internal static class Fixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static ClusterSnapshot Load(string name) => DumpReader.ReadFile(PathOf(name));

    public static IReadOnlyList<Finding> Examine(string name, string? dataVolume = null) => Examiner.Examine(Load(name), dataVolume);
}
