using Cdi.Kube.Local;

namespace Cdi.Kube.Tests.Local;

public sealed class LocalPathsTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["CDI_MOUNT_DATA"] = "/c/volumes/pvc-1",
        ["CDI_MOUNT_SCRATCH"] = "/c/volumes/pvc-2/",
        ["CDI_MOUNT_DEV_CDI_BLOCK_VOLUME"] = "/c/volumes/pvc-3.img",
        ["CDI_TERMINATION_LOG"] = "/c/pods/ns/p/importer.termination-log",
    };

    [Theory]
    [InlineData("/data", "/c/volumes/pvc-1")]
    [InlineData("/data/disk.img", "/c/volumes/pvc-1/disk.img")]
    [InlineData("/scratch/tmp/x", "/c/volumes/pvc-2/tmp/x")]
    [InlineData("/dev/cdi-block-volume", "/c/volumes/pvc-3.img")]
    [InlineData("/other/file", "/other/file")]
    [InlineData("relative", "relative")]
    [InlineData("/database", "/database")]
    public void Resolves_by_longest_mounted_prefix(string container, string host) =>
        LocalPaths.Resolve(container, Env.GetValueOrDefault).Should().Be(host);

    [Fact]
    public void Variable_names_upper_case_and_replace_punctuation() =>
        LocalPaths.VariableFor("/dev/cdi-block-volume").Should().Be("CDI_MOUNT_DEV_CDI_BLOCK_VOLUME");

    [Fact]
    public void Termination_log_comes_from_its_variable() =>
        LocalPaths.TerminationLog(Env.GetValueOrDefault).Should().Be("/c/pods/ns/p/importer.termination-log");

    [Fact]
    public void Without_variables_paths_are_unchanged_as_in_a_real_cluster() =>
        LocalPaths.Resolve("/data/disk.img", _ => null).Should().Be("/data/disk.img");
}
