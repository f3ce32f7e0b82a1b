using Cdi.Testing;

namespace Cdi.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_imports_a_datavolume_on_the_local_cluster_and_verifies_the_volume()
    {
        using var dir = new TempDirectory();
        var o = CdiCli.Run("demo", "--dir", dir.File("cluster"));
        o.ExitCode.Should().Be(0, o.Stdout + o.Stderr);
        o.Stdout.Should().Contain("started the local cluster");
        o.Stdout.Should().Contain("Succeeded");
        o.Stdout.Should().Contain("ImportSucceeded");
        o.Stdout.Should().Contain("demo: verified");
        File.Exists(dir.File("cluster/cluster.pid")).Should().BeFalse("the demo stops the cluster it started");
    }
}
