using System.Diagnostics;
using System.Net.Sockets;

namespace Cdi.Testing.Registry;

/// <summary>The real Debian <c>docker-registry</c> (distribution 2.x) on 127.0.0.1, storing into a temp directory.</summary>
public sealed class RegistryServer : IDisposable
{
    private readonly TempDirectory _dir = new("cdi-registry");
    private readonly Process _process;

    public RegistryServer(RegistryServerOptions? options = null)
    {
        Options = options ?? new RegistryServerOptions();
        Storage = _dir.Sub("storage");
        var (ports, process) = FreePort.StartServer(1, p => Start(p[0]), "docker-registry", TimeSpan.FromSeconds(30));
        (Port, _process) = (ports[0], process);
    }

    private Process Start(int port)
    {
        var auth = "";
        if (Options.User is { } user)
        {
            File.WriteAllText(_dir.File("htpasswd"), Htpasswd.Line(user, Options.Password!) + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: cdi-test\n    path: {_dir.File("htpasswd")}\n";
        }
        var tls = Options.CertificatePath is { } cert ? $"  tls:\n    certificate: {cert}\n    key: {Options.KeyPath}\n" : "";
        File.WriteAllText(_dir.File("config.yml"), $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Storage}
            http:
              addr: 127.0.0.1:{port}
              secret: cdi-test-secret
            {tls}
            """ + "\n" + auth);
        var psi = new ProcessStartInfo("docker-registry")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(_dir.File("config.yml"));
        var process = Process.Start(psi)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    public RegistryServerOptions Options { get; }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public string Storage { get; }

    /// <summary>Where the registry keeps a blob's bytes (to tamper with it).</summary>
    public string BlobPath(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(Storage, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
    }

    public void Dispose()
    {
        ProcessRunner.Stop(_process);
        _dir.Dispose();
    }
}
