using System.Diagnostics;

namespace Cdi.Testing;

/// <summary>
/// A local cluster started the way users start it (<c>./cdi cluster up --detach</c>) in a temporary directory, driven
/// with the real kubectl, stopped with <c>./cdi cluster down</c>.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    private readonly TempDirectory _dir = new("cdi-cluster");

    public LocalCluster(bool withController = true)
    {
        var args = new List<string> { "cluster", "up", "--dir", _dir.Path, "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--detach" };
        if (!withController)
        {
            args.Add("--without-controller");
        }
        var up = ProcessRunner.Run(RepoPaths.CdiScript, args, timeout: TimeSpan.FromMinutes(3));
        if (up.ExitCode != 0)
        {
            throw new InvalidOperationException($"cdi cluster up failed: {up.Stdout}{up.Stderr}");
        }
    }

    public string Directory => _dir.Path;
    public string Kubeconfig => _dir.File("kubeconfig");

    public ProcessOutput Kubectl(params string[] args) =>
        ProcessRunner.Run("kubectl", args, environment: new Dictionary<string, string> { ["KUBECONFIG"] = Kubeconfig }, timeout: TimeSpan.FromMinutes(5));

    /// <summary>kubectl that must succeed; returns its stdout.</summary>
    public string Ok(params string[] args)
    {
        var r = Kubectl(args);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl {string.Join(' ', args)} failed: {r.Stdout}{r.Stderr}");
        }
        return r.Stdout;
    }

    public string Apply(string yaml, string? ns = null)
    {
        var file = _dir.File($"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        return ns is null ? Ok("create", "-f", file) : Ok("create", "-f", file, "-n", ns);
    }

    public string NewNamespace()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        // `kubectl create namespace` speaks protobuf, which the local API server does not; a manifest goes as JSON.
        Apply($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n");
        return name;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes (then throws with <paramref name="what"/>).</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        if (!Poll.Until(condition, timeout))
        {
            throw new TimeoutException($"condition not reached in {timeout}: {what()}");
        }
    }

    /// <summary>The host path of the volume bound to a claim (the local provisioner's hostPath).</summary>
    public string VolumePath(string ns, string claim)
    {
        var pv = Ok("get", "pvc", claim, "-n", ns, "-o", "jsonpath={.spec.volumeName}").Trim();
        return Ok("get", "pv", pv, "-o", "jsonpath={.spec.hostPath.path}").Trim();
    }

    public void Dispose()
    {
        ProcessRunner.Run(RepoPaths.CdiScript, ["cluster", "down", "--dir", _dir.Path], timeout: TimeSpan.FromMinutes(1));
        _dir.Dispose();
    }
}
