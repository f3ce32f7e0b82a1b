using System.Globalization;

namespace Cdi.Bench.KubeClient;

/// <summary>What every ConfigMap carries, the same on both sides: one label, one annotation, four short values.</summary>
internal static class ConfigMapContent
{
    public const string Label = "bench.cdi.kubevirt.io/run";

    public static string Name(int index) => string.Create(CultureInfo.InvariantCulture, $"cm-{index:D5}");

    public static Dictionary<string, string> Labels() => new() { [Label] = "kube-client" };

    public static Dictionary<string, string> Annotations(int index) =>
        new() { ["bench.cdi.kubevirt.io/index"] = index.ToString(CultureInfo.InvariantCulture) };

    public static Dictionary<string, string> Data(int index) => new()
    {
        ["index"] = index.ToString(CultureInfo.InvariantCulture),
        ["url"] = string.Create(CultureInfo.InvariantCulture, $"https://images.example/disk-{index}.qcow2"),
        ["contentType"] = "kubevirt",
        ["note"] = "a short value so that both sides serialize a few fields",
    };
}
