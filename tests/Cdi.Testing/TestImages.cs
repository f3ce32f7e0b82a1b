namespace Cdi.Testing;

/// <summary>Generates disk images with qemu-img, the reference every conversion is compared against.</summary>
public static class TestImages
{
    /// <summary>
    /// A raw disk of <paramref name="size"/> bytes: random data, text-like data, long zero runs (holes) and a non-zero
    /// last sector, so every conversion path has something to get wrong.
    /// </summary>
    public static string CreateRaw(string path, long size, int seed = 42)
    {
        var random = new Random(seed);
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        RandomAccess.SetLength(handle, size);
        var block = new byte[256 * 1024];
        void WriteAt(long offset, Func<byte[], int> fill)
        {
            if (offset >= size)
            {
                return;
            }
            var n = (int)Math.Min(fill(block), size - offset);
            RandomAccess.Write(handle, block.AsSpan(0, n), offset);
        }
        WriteAt(0, b => { random.NextBytes(b); return b.Length; });
        WriteAt(size / 3, b => { for (var i = 0; i < b.Length; i++) { b[i] = (byte)"cdi imports disks "[i % 18]; } return b.Length; });
        WriteAt(size / 2 + 4096, b => { random.NextBytes(b.AsSpan(0, 8192)); return 8192; });
        WriteAt(size - 512, b => { b.AsSpan(0, 512).Fill(0xEE); return 512; });
        return path;
    }

    public static string QemuImg(params string[] args)
    {
        var r = ProcessRunner.Run("qemu-img", args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"qemu-img {string.Join(' ', args)} failed: {r.Stderr}");
        }
        return r.Stdout;
    }

    /// <summary>Converts a raw file to <paramref name="format"/> (qemu-img driver name) with optional -o options.</summary>
    public static string Convert(string raw, string output, string format, string? options = null)
    {
        var args = new List<string> { "convert", "-f", "raw", "-O", format };
        if (options is not null)
        {
            args.Add("-o");
            args.Add(options);
        }
        args.Add(raw);
        args.Add(output);
        QemuImg([.. args]);
        return output;
    }

    /// <summary>qemu-img's own raw conversion of <paramref name="image"/>: the expected bytes.</summary>
    public static string Reference(string image, string format, string output)
    {
        QemuImg("convert", "-f", format, "-O", "raw", image, output);
        return output;
    }

    /// <summary>
    /// The output must be exactly <paramref name="expectedLength"/> bytes: the reference's bytes, then zeros.
    /// Returns null when equal, else where it differs.
    /// </summary>
    public static string? CompareWithReference(string output, string reference, long expectedLength)
    {
        var actualLength = new FileInfo(output).Length;
        if (actualLength != expectedLength)
        {
            return $"length {actualLength}, expected {expectedLength}";
        }
        using var a = File.OpenRead(output);
        using var b = File.OpenRead(reference);
        var ba = new byte[1 << 20];
        var bb = new byte[1 << 20];
        long offset = 0;
        while (true)
        {
            var na = a.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            if (na == 0)
            {
                return null;
            }
            var nb = b.ReadAtLeast(bb, ba.Length, throwOnEndOfStream: false);
            Array.Clear(bb, nb, na - Math.Min(na, nb));
            var diff = ba.AsSpan(0, na).CommonPrefixLength(bb.AsSpan(0, na));
            if (diff < na)
            {
                return $"first difference at byte {offset + diff}";
            }
            offset += na;
        }
    }

    /// <summary>Bytes the file system allocated for the file (du), to check holes stay holes.</summary>
    public static long AllocatedBytes(string path) =>
        long.Parse(ProcessRunner.Sh($"du --block-size=1 '{path}' | cut -f1").Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
