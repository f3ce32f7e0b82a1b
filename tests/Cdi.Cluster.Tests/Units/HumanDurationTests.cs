using Cdi.Cluster.Tables;

namespace Cdi.Cluster.Tests.Units;

public sealed class HumanDurationTests
{
    [Theory]
    [InlineData(5, "5s")]
    [InlineData(150, "2m30s")]
    [InlineData(3600, "60m")]
    [InlineData(4 * 3600 + 60, "4h1m")]
    [InlineData(26 * 3600, "26h")]
    [InlineData(3 * 86400, "3d")]
    public void Ages_print_like_kubectl(int seconds, string expected) => HumanDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
}
