using Cdi.Importer.Core.Sizing;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Sizing;

public sealed class VolumeSizeTests
{
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

    [Theory]
    [InlineData(1_000_000L, null, 1_000_000L)]
    [InlineData(1_000_000L, 2_000_000L, 1_000_000L)]
    [InlineData(1_000_000L, 300_000L, 299_520L)]
    [InlineData(1_000_000L, -5L, 0L)]
    public void An_image_is_offered_no_more_than_the_file_system_has_free(long usable, long? free, long offered) =>
        VolumeSize.Offered(usable, free).Should().Be(offered);

    [Fact]
    public void Free_bytes_are_read_from_the_folder_s_file_system()
    {
        using var ws = new Cdi.Testing.TempDirectory();
        VolumeSize.FreeBytes(ws.Path).Should().BePositive();
        VolumeSize.FreeBytes(ws.File("missing/deeper")).Should().BeNull("an unknown folder leaves the size to the claim");
    }
}
