using System.Diagnostics;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// <c>cdi controller --kubeconfig DIR/kubeconfig</c> as its own process, as a Deployment runs it; its output goes to
/// a file so a failing test can show what the controller said.
/// </summary>
internal sealed class ControllerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    public ControllerProcess(string kubeconfig, string logFile)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoPaths.Root, ".build", "cli", "cdi"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // One replica, no Lease: a SIGKILLed leader's Lease would hold each successor for its 15 s term, and what is
        // under test here is the reconcile's crash safety, not the election.
        foreach (var a in new[] { "controller", "--kubeconfig", kubeconfig, "--importer-image", "cdi.local/cdi:latest", "--leader-elect=false" })
        {
            psi.ArgumentList.Add(a);
        }
        _log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        _process = Process.Start(psi)!;
        _log.WriteLine($"--- controller pid {_process.Id} started");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a node dies or the OOM killer strikes.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
        lock (_log)
        {
            _log.WriteLine($"--- controller pid {_process.Id} SIGKILLed");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
