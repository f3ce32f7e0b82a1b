using System.Diagnostics;
using System.Net.Sockets;

namespace Cdi.Testing.S3;

/// <summary>
/// The npm <c>s3rver</c> package (an S3 emulator that checks SigV4 signatures; keys S3RVER/S3RVER) on 127.0.0.1, with
/// one bucket. The package is installed once into <c>~/.cache/cdi-s3rver</c> with npm.
/// </summary>
public sealed class S3rverServer : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private static readonly object InstallLock = new();
    private readonly TempDirectory _data = new("cdi-s3rver");
    private readonly Process _process;

    public S3rverServer(string bucket)
    {
        Bucket = bucket;
        var script = EnsureInstalled();
        var (ports, process) = FreePort.StartServer(1, p => Start(script, bucket, p[0]), "s3rver", TimeSpan.FromSeconds(60));
        (Port, _process) = (ports[0], process);
    }

    private Process Start(string script, string bucket, int port)
    {
        var psi = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { script, "--directory", _data.Path, "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--silent", "--configure-bucket", bucket })
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    public int Port { get; }

    public string Bucket { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    private static string EnsureInstalled()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? Path.GetTempPath();
        var folder = Path.Combine(home, ".cache", "cdi-s3rver");
        var script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        lock (InstallLock)
        {
            if (!File.Exists(script))
            {
                Directory.CreateDirectory(folder);
                var r = ProcessRunner.Run("npm", ["install", "--no-audit", "--no-fund", "--prefix", folder, "s3rver@3"], timeout: TimeSpan.FromMinutes(5));
                if (r.ExitCode != 0 || !File.Exists(script))
                {
                    throw new InvalidOperationException($"npm install s3rver@3 failed: {r.Stderr.Trim()}");
                }
            }
        }
        return script;
    }

    public void Dispose()
    {
        ProcessRunner.Stop(_process);
        _data.Dispose();
    }
}
