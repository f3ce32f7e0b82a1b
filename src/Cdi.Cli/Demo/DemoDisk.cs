using System.Diagnostics;
using System.Security.Cryptography;

namespace Cdi.Cli.Demo;

/// <summary>The demo's guest disk: some random data, some text, mostly holes — like a freshly installed VM.</summary>
internal static class DemoDisk
{
    public static void Write(string path, long size)
    {
        var random = new Random(2026);
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write);
        RandomAccess.SetLength(handle, size);
        var block = new byte[1 << 20];
        for (long offset = 0; offset < size; offset += 16L << 20)
        {
            random.NextBytes(block);
            RandomAccess.Write(handle, block, offset);
        }
    }

    public static async Task QemuImgAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("qemu-img") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start qemu-img");
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"qemu-img failed: {await stderr.ConfigureAwait(false)}");
        }
    }

    public static async Task<byte[]> HashAsync(string path, long length, CancellationToken cancellationToken)
    {
        await using var f = File.OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var left = length;
        while (left > 0)
        {
            var n = await f.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
        return hash.GetHashAndReset();
    }

    public static async Task<bool> IsZeroAfterAsync(string path, long offset, CancellationToken cancellationToken)
    {
        await using var f = File.OpenRead(path);
        f.Position = offset;
        var buffer = new byte[1 << 20];
        int n;
        while ((n = await f.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.AsSpan(0, n).IndexOfAnyExcept((byte)0) >= 0)
            {
                return false;
            }
        }
        return true;
    }
}
