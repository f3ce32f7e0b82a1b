using System.Diagnostics;
using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// One run of a container as a local process: stdout and stderr appended to one log file as they come, and the whole
/// process tree killed when the token fires (pod deleted or cluster stopping).
/// </summary>
internal static class ContainerProcess
{
    /// <summary>The exit code; 137 (128 + SIGKILL) when it was killed.</summary>
    public static async Task<int> RunAsync(ProcessStartInfo startInfo, ContainedPath logFile, CancellationToken cancellationToken)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true; // a container has no terminal: stdin is closed at once
        using var process = new Process { StartInfo = startInfo };
        // Output may carry secrets: private from its creation, and never appended through a link planted in its place.
        var log = logFile.OpenAppend(OwnerOnly.File);
        await using (log.ConfigureAwait(false))
        {
            process.Start();
            process.StandardInput.Close();
            using var gate = new SemaphoreSlim(1, 1);
            var pumps = new[]
            {
                PumpAsync(process.StandardOutput.BaseStream, log, gate),
                PumpAsync(process.StandardError.BaseStream, log, gate),
            };
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAll(pumps).ConfigureAwait(false);
                throw;
            }
            await Task.WhenAll(pumps).ConfigureAwait(false);
            return process.ExitCode;
        }
    }

    // Whole chunks go to the log under one lock, so stdout and stderr interleave but never tear each other's writes;
    // a flush per chunk makes `kubectl logs` see output while the container runs.
    private static async Task PumpAsync(Stream source, FileStream log, SemaphoreSlim gate)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await log.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                await log.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
