using Cdi.Cluster.Admission;
using Cdi.Cluster.Tables;

namespace Cdi.Cluster.Tests.Units;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("2", 2)]
    [InlineData("1Ki", 1024)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("1G", 1000000000)]
    [InlineData("1e3", 1000)]
    public void Quantities_parse(string text, double expected) => ((double)Quantity.Parse(text)).Should().Be(expected);

    [Theory]
    [InlineData(0.5, "500m")]
    [InlineData(1073741824, "1Gi")]
    [InlineData(3, "3")]
    public void Quantities_format(double value, string expected) => Quantity.Format((decimal)value).Should().Be(expected);

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(150, "2m30s")]
    [InlineData(3600, "60m")]
    [InlineData(4 * 3600 + 60, "4h1m")]
    [InlineData(26 * 3600, "26h")]
    [InlineData(3 * 86400, "3d")]
    public void Ages_print_like_kubectl(int seconds, string expected) => HumanDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
}
