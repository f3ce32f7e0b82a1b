using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Compression;

public sealed class DecoderFuzzTests
{
    public static TheoryData<CompressionKind, byte[]> Magics => new()
    {
        { CompressionKind.Gzip, [0x1F, 0x8B, 0x08, 0x00] },
        { CompressionKind.Xz, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04] },
        { CompressionKind.Zstd, [0x28, 0xB5, 0x2F, 0xFD] },
        { CompressionKind.Bzip2, [0x42, 0x5A, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59] },
    };

    [Theory]
    [MemberData(nameof(Magics))]
    public void Random_bytes_decode_or_fail_with_ImportException(CompressionKind kind, byte[] magic)
    {
        int runs = 0;
        // With and without the codec's magic, so the fuzz reaches past the header checks.
        var property = Prop.ForAll(
            ArbMap.Default.ArbFor<byte[]>(),
            ArbMap.Default.ArbFor<bool>(),
            (byte[] body, bool withMagic) =>
            {
                runs++;
                return DecodesOrFailsCleanly(kind, withMagic ? [.. magic, .. body] : body);
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
        runs.Should().Be(300);
    }

    private static bool DecodesOrFailsCleanly(CompressionKind kind, byte[] input)
    {
        try
        {
            DecompressorTests.DecodeAll(kind, new MemoryStream(input));
            return true;
        }
        catch (ImportException e)
        {
            return e.Reason is ImportFailureReason.CorruptImage or ImportFailureReason.DecoderLimit && !e.Message.Contains('\n');
        }
    }
}
