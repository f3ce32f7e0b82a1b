using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Tests.TestSupport;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Formats;

/// <summary>Hostile input never escapes as anything but an <see cref="ImportException"/>: random bytes, and random damage to real headers.</summary>
public sealed class InspectorFuzzTests : IClassFixture<SeedImages>
{
    private static readonly ImageFormat[] AllFormats = Enum.GetValues<ImageFormat>();

    private readonly SeedImages _seeds;

    public InspectorFuzzTests(SeedImages seeds) => _seeds = seeds;

    public static TheoryData<ImageFormat> InspectedFormats => new() { ImageFormat.Qcow2, ImageFormat.Vmdk, ImageFormat.Vhd, ImageFormat.Vhdx, ImageFormat.Vdi };

    [Fact]
    public void Random_bytes_are_detected_or_rejected_and_inspect_or_reject_as_any_format()
    {
        int runs = 0;
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), (byte[] bytes) =>
        {
            runs++;
            SafeDetect(bytes);
            foreach (var format in AllFormats)
            {
                SafeInspect(bytes, format);
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
        runs.Should().Be(300);
    }

    [Theory]
    [MemberData(nameof(InspectedFormats))]
    public void Damaged_real_images_are_accepted_or_rejected_cleanly(ImageFormat format)
    {
        byte[] image = _seeds.Images[format];
        int runs = 0;
        var property = Prop.ForAll(ArbMap.Default.ArbFor<int>(), ArbMap.Default.ArbFor<byte>(), (int seed, byte mutations) =>
        {
            runs++;
            var random = new Random(seed);
            int count = 1 + (mutations % 8);
            var saved = new (int Offset, byte Value)[count];
            for (int i = 0; i < count; i++)
            {
                int offset = PickOffset(random, image.Length);
                saved[i] = (offset, image[offset]);
                image[offset] = (byte)random.Next(256);
            }

            try
            {
                SafeDetect(image.AsSpan(0, Math.Min(image.Length, HeaderDetector.HeadBytes)).ToArray());
                SafeInspect(image, format);
            }
            finally
            {
                for (int i = count - 1; i >= 0; i--)
                {
                    image[saved[i].Offset] = saved[i].Value;
                }
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), property);
        runs.Should().Be(400);
        ImageInspector.Inspect(new MemoryStream(image), format).Format.Should().Be(format, "the seed image itself is valid");
    }

    [Theory]
    [MemberData(nameof(InspectedFormats))]
    public void Truncated_real_images_are_rejected_cleanly(ImageFormat format)
    {
        byte[] image = _seeds.Images[format];
        var property = Prop.ForAll(ArbMap.Default.ArbFor<int>(), (int cut) =>
        {
            int length = (int)((uint)cut % (uint)image.Length);
            SafeInspect(image.AsSpan(0, length).ToArray(), format);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    // Half the damage lands in the first 4 KiB where every header lives; the rest anywhere (VHDX keeps tables further in).
    private static int PickOffset(Random random, int length) => random.Next(4) switch
    {
        0 or 1 => random.Next(Math.Min(length, 4096)),
        2 => random.Next(Math.Min(length, 320 * 1024)),
        _ => random.Next(length),
    };

    private static void SafeDetect(byte[] head)
    {
        try
        {
            HeaderDetector.Detect(head);
        }
        catch (ImportException e)
        {
            e.Message.Should().NotContain("\n");
        }
    }

    private static void SafeInspect(byte[] bytes, ImageFormat format)
    {
        try
        {
            // Unguarded: the public Inspect turns any exception into a rejection, which would hide parser bugs from the fuzz.
            var info = ImageInspector.InspectUnguarded(new MemoryStream(bytes, writable: false), format);
            info.VirtualSize.Should().BeGreaterThanOrEqualTo(0);
        }
        catch (ImportException e)
        {
            e.Message.Should().NotContain("\n");
        }
    }
}
