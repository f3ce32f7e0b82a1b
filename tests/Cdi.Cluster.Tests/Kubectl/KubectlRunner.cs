using System.Diagnostics;

namespace Cdi.Cluster.Tests.Kubectl;

/// <summary>Runs the real kubectl (/usr/bin/kubectl) against a cluster directory's kubeconfig.</summary>
public sealed class KubectlRunner(string kubeconfig, string cacheDir)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public ProcessStartInfo StartInfo(IEnumerable<string> args, bool redirectInput = false)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        psi.Environment["KUBECONFIG"] = kubeconfig;
        psi.Environment["KUBECACHEDIR"] = cacheDir;
        psi.ArgumentList.Add("--cache-dir=" + cacheDir);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        return psi;
    }

    public Task<ProcessResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public async Task<ProcessResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        using var p = Process.Start(StartInfo(args, stdin is not null))!;
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {DefaultTimeout}");
        }
        return new ProcessResult(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts success; returns stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        r.ExitCode.Should().Be(0, $"kubectl {string.Join(' ', args)} should succeed; output: {r.Output}");
        return r.Stdout;
    }

    public async Task<string> ApplyAsync(string yaml, params string[] extra)
    {
        var r = await RunWithInputAsync(yaml, ["apply", "-f", "-", .. extra]);
        r.ExitCode.Should().Be(0, $"kubectl apply should succeed; output: {r.Output}");
        return r.Stdout;
    }

    public async Task<string> CreateAsync(string yaml, params string[] extra)
    {
        var r = await RunWithInputAsync(yaml, ["create", "-f", "-", .. extra]);
        r.ExitCode.Should().Be(0, $"kubectl create should succeed; output: {r.Output}");
        return r.Stdout;
    }
}
