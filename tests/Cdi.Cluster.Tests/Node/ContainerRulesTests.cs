using Cdi.Cluster.Kubelet;

namespace Cdi.Cluster.Tests.Node;

public sealed class ContainerRulesTests
{
    private static readonly Dictionary<string, string> Env = new() { ["DIR"] = "/data" };

    [Theory]
    [InlineData(new[] { "cdi", "import" }, new[] { "--to", "$(DIR)" }, new[] { "import", "--to", "/data" })]
    [InlineData(new[] { "/usr/bin/cdi" }, new[] { "--help" }, new[] { "--help" })]
    [InlineData(new string[0], new[] { "import", "$$(DIR)" }, new[] { "import", "$(DIR)" })]
    [InlineData(new[] { "/usr/bin/cdi-worker", "importer" }, null, new[] { "importer" })]
    public void Command_naming_cdi_is_dropped_and_vars_expand(string[] command, string[]? args, string[] expected) =>
        ContainerCommand.ArgumentsFor(command, args, Env).Should().Equal(expected);

    [Theory]
    [InlineData(new[] { "cdi-worker", "importer" }, true)]
    [InlineData(new[] { "/usr/bin/cdi-worker" }, true)]
    [InlineData(new[] { "cdi", "import" }, false)]
    [InlineData(new[] { "/opt/not-cdi-worker" }, false)]
    public void Worker_commands_run_cdi_worker(string[] command, bool worker) =>
        ContainerCommand.RunsWorker(command).Should().Be(worker);

    [Fact]
    public void Other_programs_cannot_run() => ContainerCommand.ArgumentsFor(["/bin/sh", "-c", "x"], null, Env).Should().BeNull();

    [Fact]
    public void Backoff_doubles_from_10s_to_5min() =>
        Enumerable.Range(1, 7).Select(n => CrashLoopBackoff.Delay(n, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)).TotalSeconds)
            .Should().Equal(10, 20, 40, 80, 160, 300, 300);

    [Theory]
    [InlineData("cdi.local/cdi:latest", "cdi.local/cdi", true)]
    [InlineData("docker.io/library/busybox", "busybox:latest", true)]
    [InlineData("busybox", "cdi.local/cdi:latest", false)]
    public void Image_names_compare_without_defaults(string image, string cdiImage, bool same) =>
        ImageNames.IsCdi(image, cdiImage).Should().Be(same);
}
