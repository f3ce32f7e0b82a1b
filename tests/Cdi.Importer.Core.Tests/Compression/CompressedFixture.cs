using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Tests.TestSupport;

namespace Cdi.Importer.Core.Tests.Compression;

/// <summary>
/// Compressed files made once per test class by the real CLI tools from one disk-like payload, so every codec is checked
/// against what people actually produce (multi-block xz, pigz, concatenated members/frames/streams).
/// </summary>
public sealed class CompressedFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public CompressedFixture()
    {
        Original = TestData.DiskLike(3 * 1024 * 1024 + 4321);
        File.WriteAllBytes(_dir.File("data"), Original);
        // Split points for multi-member/-frame/-stream files.
        ProcessRunner.Sh("head -c 1000000 data > part1 && tail -c +1000001 data > part2", _dir.Path);
        foreach (var (name, _, command) in Cases)
        {
            ProcessRunner.Sh(command + " > " + name, _dir.Path);
        }

        ProcessRunner.Sh("xz -0 -c --lzma2=dict=1536MiB part1 > xz-huge-dict", _dir.Path);
        ProcessRunner.Sh("(xz -1 -c part2; cat xz-huge-dict) > xz-then-huge-dict", _dir.Path);
        ProcessRunner.Sh("cat part1 | zstd -q --long=31 -c > zstd-long31", _dir.Path);
    }

    public static IReadOnlyList<(string Name, CompressionKind Kind, string Command)> Cases { get; } =
    [
        ("gzip", CompressionKind.Gzip, "gzip -c data"),
        ("gzip-multi-member", CompressionKind.Gzip, "(gzip -c part1; gzip -c part2)"),
        ("pigz", CompressionKind.Gzip, "pigz -p 2 -b 128 -c data"),
        ("xz-single-block", CompressionKind.Xz, "xz -1 -c data"),
        ("xz-multi-block", CompressionKind.Xz, "xz -1 -T2 --block-size=1MiB -c data"),
        ("xz-concatenated", CompressionKind.Xz, "(xz -1 -c part1; xz -1 -c part2)"),
        ("zstd", CompressionKind.Zstd, "zstd -q -c data"),
        ("zstd-multi-frame", CompressionKind.Zstd, "(zstd -q -c part1; zstd -q -c part2)"),
        ("bzip2", CompressionKind.Bzip2, "bzip2 -c data"),
        ("bzip2-concatenated", CompressionKind.Bzip2, "(bzip2 -c part1; bzip2 -c part2)"),
    ];

    public byte[] Original { get; }

    public byte[] Bytes(string name) => File.ReadAllBytes(_dir.File(name));

    public void Dispose() => _dir.Dispose();
}
