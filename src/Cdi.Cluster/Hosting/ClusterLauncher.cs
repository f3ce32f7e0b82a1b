using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Cdi.Cluster.Hosting;

/// <summary>
/// Process management for <c>cdi cluster up --detach</c> and <c>cdi cluster down</c>: start the server in the
/// background with its output in DIR/cluster.log and wait until it is ready; signal it and wait until it is gone.
/// </summary>
public sealed partial class ClusterLauncher(TimeProvider clock)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether an API server holds <paramref name="dir"/> right now.</summary>
    public static bool IsRunning(string dir) => ClusterLock.IsHeld(dir);

    /// <summary>Called by the serving process once it listens: DIR/cluster.pid names it.</summary>
    public static void WritePid(string dir) =>
        File.WriteAllText(ClusterFiles.Pid(dir), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");

    public static void RemovePid(string dir) => File.Delete(ClusterFiles.Pid(dir));

    /// <summary>
    /// Re-executes <paramref name="executable"/> with <paramref name="arguments"/> (the same command without
    /// --detach) in a new session, output to DIR/cluster.log, and waits for /readyz. Returns the API server URL.
    /// </summary>
    public async Task<Uri> StartDetachedAsync(string dir, string executable, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        PrivateState.Secure(dir);
        PrivateState.Touch(ClusterFiles.Log(dir));
        // Nothing runs here (the caller checked), so these are leftovers of a crash: never mistake them for fresh ones.
        File.Delete(ClusterFiles.Kubeconfig(dir));
        File.Delete(ClusterFiles.Pid(dir));
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory };
        start.ArgumentList.Add("-c");
        // setsid: a Ctrl+C in the terminal that started it must not reach the background server.
        start.ArgumentList.Add("log=\"$1\"; shift; if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null; else exec \"$@\" >>\"$log\" 2>&1 </dev/null; fi");
        start.ArgumentList.Add("cdi-cluster");
        start.ArgumentList.Add(ClusterFiles.Log(dir));
        start.ArgumentList.Add(executable);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var deadline = clock.GetUtcNow() + StartTimeout;
        while (clock.GetUtcNow() < deadline)
        {
            if (await ReadyUrlAsync(dir, ct).ConfigureAwait(false) is { } url)
            {
                return url;
            }
            if (process.HasExited && !IsRunning(dir))
            {
                throw new InvalidOperationException($"the cluster exited during startup (exit code {process.ExitCode}); see {ClusterFiles.Log(dir)}:{Environment.NewLine}{Tail(ClusterFiles.Log(dir))}");
            }
            await Task.Delay(Poll, clock, ct).ConfigureAwait(false);
        }
        throw new TimeoutException($"the cluster did not become ready within {StartTimeout.TotalSeconds:0}s; see {ClusterFiles.Log(dir)}");
    }

    /// <summary>The API server URL when the cluster in <paramref name="dir"/> answers /readyz, else null.</summary>
    public static async Task<Uri?> ReadyUrlAsync(string dir, CancellationToken ct)
    {
        var kubeconfig = ClusterFiles.Kubeconfig(dir);
        var caPath = Path.Combine(ClusterFiles.Pki(dir), "ca.crt");
        if (!File.Exists(kubeconfig) || !File.Exists(caPath) || !File.Exists(ClusterFiles.Pid(dir)))
        {
            return null;
        }
        var match = ServerLine().Match(await File.ReadAllTextAsync(kubeconfig, ct).ConfigureAwait(false));
        if (!match.Success)
        {
            return null;
        }
        var url = new Uri(match.Groups[1].Value);
        using var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, chain, _) =>
            {
                if (cert is null || chain is null)
                {
                    return false;
                }
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(url, "/readyz"), ct).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? url : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>SIGTERM to the server of <paramref name="dir"/>, then wait (bounded) for it to let go; SIGKILL as a last resort. False if none ran.</summary>
    public async Task<bool> StopAsync(string dir, CancellationToken ct)
    {
        if (!IsRunning(dir))
        {
            return false;
        }
        var pidText = File.Exists(ClusterFiles.Pid(dir)) ? await File.ReadAllTextAsync(ClusterFiles.Pid(dir), ct).ConfigureAwait(false) : "";
        if (!int.TryParse(pidText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            throw new InvalidOperationException($"a cluster holds {dir} but {ClusterFiles.Pid(dir)} does not name its process");
        }
        PosixSignals.Send(pid, PosixSignals.SigTerm);
        var deadline = clock.GetUtcNow() + StopTimeout;
        while (clock.GetUtcNow() < deadline)
        {
            if (!PosixSignals.IsAlive(pid) || !IsRunning(dir))
            {
                await WaitForExitAsync(pid, ct).ConfigureAwait(false);
                // The lock goes before the process: one still alive past the wait could yet start a container beside the
                // next cluster's. Killed, its containers are the next node's leftovers (their pid records), never a second run.
                if (PosixSignals.IsAlive(pid) && !IsZombie(pid))
                {
                    PosixSignals.Send(pid, PosixSignals.SigKill);
                    await WaitForExitAsync(pid, ct).ConfigureAwait(false);
                }
                return true;
            }
            await Task.Delay(Poll, clock, ct).ConfigureAwait(false);
        }
        PosixSignals.Send(pid, PosixSignals.SigKill);
        await WaitForExitAsync(pid, ct).ConfigureAwait(false);
        return true;
    }

    private async Task WaitForExitAsync(int pid, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + StopTimeout;
        while (PosixSignals.IsAlive(pid) && clock.GetUtcNow() < deadline && !IsZombie(pid))
        {
            await Task.Delay(Poll, clock, ct).ConfigureAwait(false);
        }
    }

    // A detached server is not our child, but in tests it can be a zombie of the test process until reaped.
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static string Tail(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        var lines = File.ReadAllLines(path);
        return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 20)));
    }

    [GeneratedRegex(@"^\s*server:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ServerLine();
}
