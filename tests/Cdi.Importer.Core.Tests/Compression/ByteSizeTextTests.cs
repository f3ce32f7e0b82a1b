using Cdi.Importer.Core.Compression;

namespace Cdi.Importer.Core.Tests.Compression;

public sealed class ByteSizeTextTests
{
    [Theory]
    [InlineData(0UL, "0 B")]
    [InlineData(1023UL, "1023 B")]
    [InlineData(32UL * 1024, "32 KiB")]
    [InlineData(256UL * 1024 * 1024, "256 MiB")]
    [InlineData(1536UL * 1024 * 1024, "1.5 GiB")]
    [InlineData(ulong.MaxValue, "16 EiB")]
    public void Format_uses_binary_units(ulong bytes, string expected) => ByteSizeText.Format(bytes).Should().Be(expected);
}
