using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sizing;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Sizing;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("10Gi", 10L << 30)]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("1.5Gi", 3L << 29)]
    [InlineData("1e9", 1_000_000_000L)]
    [InlineData("123456", 123456L)]
    [InlineData("4k", 4000L)]
    [InlineData("1Ki", 1024L)]
    [InlineData("0.5", 1L)]
    public void Parses_kubernetes_quantities(string text, long bytes) => Quantity.ParseBytes(text).Should().Be(bytes);

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("-1Gi")]
    [InlineData("10GB")]
    [InlineData("99999999Ei")]
    public void Refuses_what_is_not_a_quantity(string text)
    {
        var act = () => Quantity.ParseBytes(text);
        act.Should().Throw<ImportException>().Which.Reason.Should().Be(ImportFailureReason.InvalidArgument);
    }

    [Fact]
    public void Binary_suffixes_scale_exactly() =>
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), n =>
            Quantity.ParseBytes($"{n}Mi") == (long)n << 20 && Quantity.ParseBytes($"{n}Ki") == (long)n << 10).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData(1L << 30, "0.06", 1009316864L)]
    [InlineData(100_000_000L, "0", 99_999_744L)]
    [InlineData(100_000_000L, "0.1", 89_999_872L)]
    public void Usable_size_is_upstreams_formula(long size, string overhead, long usable) =>
        VolumeSize.Usable(size, decimal.Parse(overhead, System.Globalization.CultureInfo.InvariantCulture)).Should().Be(usable);

    [Fact]
    public void Usable_size_is_sector_aligned_and_within_the_volume() =>
        Prop.ForAll(Gen.Choose(1, int.MaxValue).ToArbitrary(), Gen.Choose(0, 999).ToArbitrary(), (size, permille) =>
        {
            var usable = VolumeSize.Usable(size, permille / 1000m);
            return usable % 512 == 0 && usable <= size && usable > (1 - permille / 1000m) * size - 512;
        }).QuickCheckThrowOnFailure();
}
