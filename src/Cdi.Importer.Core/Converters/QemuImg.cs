using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Converters;

/// <summary>
/// Runs qemu-img, always with an explicit input format and under resource limits, and only on inputs the native
/// inspector has already passed.
/// </summary>
public sealed partial class QemuImg(string executable = "qemu-img")
{
    private const int MaxCapturedOutput = 1 << 20;

    public async Task<QemuImgInfo> InfoAsync(string path, string driver, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["info", "--output=json", "-f", driver, path], ProcessLimits.Info, null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failure(result, ImportFailureReason.CorruptImage, $"qemu-img rejected the {driver} image");
        }
        try
        {
            using var doc = JsonDocument.Parse(result.Stdout);
            var root = doc.RootElement;
            var format = root.GetProperty("format").GetString() ?? "";
            var size = root.GetProperty("virtual-size").GetInt64();
            string? backing = root.TryGetProperty("backing-filename", out var b) ? b.GetString() : null;
            string? dataFile = null;
            if (root.TryGetProperty("format-specific", out var fs) && fs.TryGetProperty("data", out var data)
                && data.TryGetProperty("data-file", out var df))
            {
                dataFile = df.GetString();
            }
            return new QemuImgInfo(format, size, backing, dataFile);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ImportException(ImportFailureReason.CorruptImage, $"qemu-img info gave unreadable output for the {driver} image", e);
        }
    }

    /// <summary>Converts to raw into an existing file or device (<c>-n</c>), reporting qemu-img's percentage.</summary>
    /// <param name="directIo">The target takes O_DIRECT writes: cache=none. qemu-img's page-cache writes are unbounded
    /// (dirty pages fill an importer pod's memory cgroup) and cost several times the time and CPU on a VM whose free
    /// memory went back to the host, more so with out-of-order writes (docs/performance.md).</param>
    public async Task ConvertToRawAsync(string source, string driver, string target, bool targetIsZero, bool directIo, long virtualSize,
        Action<double> onPercent, CancellationToken cancellationToken)
    {
        List<string> args = ["convert", "-p", "-W", "-f", driver, "-O", "raw", "-n"];
        if (directIo)
        {
            args.AddRange(["-t", "none"]);
        }
        if (targetIsZero)
        {
            args.Add("--target-is-zero");
        }
        args.Add(source);
        args.Add(target);
        var result = await RunAsync(args, ProcessLimits.ForConvert(virtualSize), line =>
        {
            var m = PercentPattern().Match(line);
            if (m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
            {
                onPercent(p);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failure(result, ImportFailureReason.ConverterFailed, "qemu-img convert failed");
        }
    }

    /// <summary>
    /// One classification of a failed qemu-img run: killed by its limits (prlimit's SIGKILL for address space, which
    /// shows as an allocation failure, or SIGXCPU; a memory cgroup's OOM kill looks the same) is a resource limit the
    /// same image hits again, never a verdict on the image; otherwise <paramref name="otherwise"/> with qemu-img's last line.
    /// </summary>
    private static ImportException Failure(ProcessResult result, ImportFailureReason otherwise, string what)
    {
        if (result.ExitCode is 137 or 152 or -9)
        {
            return new ImportException(ImportFailureReason.DecoderLimit, $"{what}: qemu-img was killed (exit code {result.ExitCode}): it exceeded its memory or CPU limit");
        }
        var line = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return new ImportException(otherwise, $"{what}: {(string.IsNullOrEmpty(line) ? $"exit code {result.ExitCode}" : line.Replace("qemu-img: ", "", StringComparison.Ordinal))}");
    }

    private async Task<ProcessResult> RunAsync(IReadOnlyList<string> args, ProcessLimits limits, Action<string>? onStdoutLine,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("prlimit")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add($"--as={limits.AddressSpaceBytes}");
        psi.ArgumentList.Add($"--cpu={limits.CpuSeconds}");
        psi.ArgumentList.Add("--");
        psi.ArgumentList.Add(executable);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ImportException(ImportFailureReason.ConverterFailed, $"cannot run qemu-img (install qemu-utils): {e.Message}", e);
        }
        process.StandardInput.Close();
        using var registration = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        });
        var stdoutTask = ReadCappedAsync(process.StandardOutput, onStdoutLine);
        var stderrTask = ReadCappedAsync(process.StandardError, null);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var stdout = await stdoutTask.ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new ProcessResult(process.ExitCode, stdout, stderr);
    }

    /// <summary>Reads a pipe to its end, keeping at most 1 MiB: crafted images can make qemu-img print without bound.</summary>
    private static async Task<string> ReadCappedAsync(StreamReader reader, Action<string>? onLine)
    {
        var kept = new StringBuilder();
        var line = new StringBuilder();
        var buffer = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (kept.Length < MaxCapturedOutput)
            {
                kept.Append(buffer, 0, Math.Min(n, MaxCapturedOutput - kept.Length));
            }
            if (onLine is null)
            {
                continue;
            }
            // qemu-img -p ends its progress updates with '\r', not newlines.
            for (var i = 0; i < n; i++)
            {
                var c = buffer[i];
                if (c is '\r' or '\n')
                {
                    if (line.Length > 0)
                    {
                        onLine(line.ToString());
                        line.Clear();
                    }
                }
                else if (line.Length < 4096)
                {
                    line.Append(c);
                }
            }
        }
        return kept.ToString();
    }

    [GeneratedRegex(@"\((\d{1,3}\.\d\d)/100%\)")]
    private static partial Regex PercentPattern();

    private sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);
}
