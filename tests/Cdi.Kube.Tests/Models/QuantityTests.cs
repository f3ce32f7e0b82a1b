using Cdi.Kube.Models;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Kube.Tests.Models;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1000M", "1G")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("1Gi", "1Gi")]
    [InlineData("1000", "1k")]
    [InlineData("1500", "1500")]
    [InlineData("1.5k", "1500")]
    [InlineData("0.5", "500m")]
    [InlineData("100m", "100m")]
    [InlineData("1e3", "1e3")]
    [InlineData("1E3", "1e3")]
    [InlineData("1000e0", "1e3")]
    [InlineData("1.5e3", "1500")]
    [InlineData("12e6", "12e6")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1536", "1536")]
    [InlineData("2048Ki", "2Mi")]
    [InlineData("1025Ki", "1025Ki")]
    [InlineData("+1Gi", "1Gi")]
    [InlineData("-1Gi", "-1Gi")]
    [InlineData("-1500m", "-1500m")]
    [InlineData("0", "0")]
    [InlineData("0Gi", "0")]
    [InlineData("0.0000000001", "1n")]
    [InlineData("1.0000000001", "1000000001n")]
    [InlineData("5.", "5")]
    [InlineData(".5", "500m")]
    [InlineData("1024Ei", "1024Ei")]
    [InlineData("1000E", "1000E")]
    [InlineData("1Ei", "1Ei")]
    public void Canonical_form_is_kubernetes(string text, string canonical) => Quantity.Parse(text).ToString().Should().Be(canonical);

    [Theory]
    [InlineData("1Gb")]
    [InlineData("10GB")]
    [InlineData("1gi")]
    [InlineData("1K")]
    [InlineData("Gi")]
    [InlineData("")]
    [InlineData(" 1Gi")]
    [InlineData("1Gi ")]
    [InlineData("1 Gi")]
    [InlineData("1..5")]
    [InlineData("1.5.")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1e1.5")]
    [InlineData("1e9999")]
    [InlineData("1Gi1")]
    [InlineData("0x10")]
    [InlineData("١")]
    [InlineData("ten")]
    public void Refuses_what_kubernetes_refuses(string text)
    {
        Quantity.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain("quantit").And.NotContain("\n");
        var parse = () => Quantity.Parse(text);
        parse.Should().Throw<FormatException>();
    }

    [Fact]
    public void Refuses_overlong_text_before_parsing() =>
        Quantity.TryParse(new string('9', Quantity.MaxLength + 1), out _).Should().BeFalse();

    [Theory]
    [InlineData("1Gi", 1073741824L)]
    [InlineData("500M", 500000000L)]
    [InlineData("1.5Ki", 1536L)]
    [InlineData("1e3", 1000L)]
    [InlineData("12345", 12345L)]
    [InlineData("0.5", 1L)]
    [InlineData("1m", 1L)]
    [InlineData("1.0001k", 1001L)]
    [InlineData("8Ei", long.MinValue)] // overflow sentinel: see below
    public void Bytes_round_up(string text, long bytes)
    {
        var q = Quantity.Parse(text);
        if (bytes == long.MinValue)
        {
            var act = () => q.ToBytes();
            act.Should().Throw<OverflowException>();
            return;
        }
        q.ToBytes().Should().Be(bytes);
    }

    [Fact]
    public void Equality_and_order_compare_values_not_spellings()
    {
        Quantity.Parse("1Gi").Should().Be(Quantity.Parse("1073741824"));
        Quantity.Parse("1024Mi").GetHashCode().Should().Be(Quantity.Parse("1Gi").GetHashCode());
        (Quantity.Parse("1G") < Quantity.Parse("1Gi")).Should().BeTrue();
        (Quantity.Parse("999m") < Quantity.Parse("1")).Should().BeTrue();
        Quantity.Parse("2Gi").CompareTo(Quantity.Parse("2048Mi")).Should().Be(0);
    }

    [Fact]
    public void Sums_keep_the_left_format_unless_it_is_zero()
    {
        (Quantity.Parse("1Gi") + Quantity.Parse("1Gi")).ToString().Should().Be("2Gi");
        (Quantity.Zero + Quantity.Parse("512Mi")).ToString().Should().Be("512Mi");
        (Quantity.Parse("1") + Quantity.Parse("500m")).ToString().Should().Be("1500m");
    }

    [Fact]
    public void From_bytes_is_binary() => Quantity.FromBytes(5L << 30).ToString().Should().Be("5Gi");

    [Fact]
    public void Canonical_text_parses_back_to_the_same_value_and_text() =>
        Prop.ForAll(QuantityText().ToArbitrary(), text =>
        {
            var q = Quantity.Parse(text);
            var canonical = q.ToString();
            var again = Quantity.Parse(canonical);
            return again.Equals(q) && again.ToString() == canonical;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Binary_quantities_scale_exactly() =>
        Prop.ForAll(Gen.Choose(0, 8191).ToArbitrary(), Gen.Choose(0, 4).ToArbitrary(), (n, power) =>
        {
            var suffix = new[] { "Ki", "Mi", "Gi", "Ti", "Pi" }[power];
            return Quantity.Parse($"{n}{suffix}").ToBytes() == (long)n << (10 * (power + 1));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Decimal_quantities_scale_exactly() =>
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), (n, power) =>
        {
            var suffix = new[] { "", "k", "M", "G" }[power];
            var factor = (long)Math.Pow(1000, power);
            return Quantity.Parse($"{n}{suffix}").ToBytes() == n * factor && Quantity.Parse($"{n}e{3 * power}").ToBytes() == n * factor;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Bytes_round_trip_through_the_canonical_form() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 1 << 20).ToArbitrary(), (low, high) =>
        {
            var bytes = ((long)high << 31) | (uint)low;
            return Quantity.Parse(Quantity.FromBytes(bytes).ToString()).ToBytes() == bytes;
        }).QuickCheckThrowOnFailure();

    private static Gen<string> QuantityText() =>
        from sign in Gen.Elements("", "+", "-")
        from whole in Gen.Choose(0, 100_000)
        from fraction in Gen.Elements("", ".", ".5", ".25", ".125", ".001", ".000000001")
        from suffix in Gen.Elements("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E", "e3", "E-3", "e0", "e6", "e-9")
        select $"{sign}{whole}{fraction}{suffix}";
}
