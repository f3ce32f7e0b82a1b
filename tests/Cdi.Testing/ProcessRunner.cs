using System.Diagnostics;

namespace Cdi.Testing;

public sealed record ProcessOutput(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the real tools tests compare against (qemu-img, xz, kubectl, ./cdi).</summary>
public static class ProcessRunner
{
    public static ProcessOutput Run(string file, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        p.WaitForExit();
        return new ProcessOutput(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs through bash; throws with the output when the command fails.</summary>
    public static string Sh(string script, string? workingDirectory = null)
    {
        var r = Run("bash", ["-c", "set -euo pipefail; " + script], workingDirectory);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"command failed ({r.ExitCode}): {script}\n{r.Stdout}\n{r.Stderr}");
        }
        return r.Stdout;
    }

    /// <summary>Ends a server process started by a fixture, with its children, and waits for it; already gone is fine.</summary>
    public static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }
}
