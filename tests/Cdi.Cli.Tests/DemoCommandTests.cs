namespace Cdi.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_imports_over_http_and_verifies_the_volume()
    {
        var o = CdiCli.Run("demo");
        o.ExitCode.Should().Be(0, o.Stdout + o.Stderr);
        o.Stdout.Should().Contain("demo: verified");
        o.Stdout.Should().Contain("New phase: Convert");
    }
}
