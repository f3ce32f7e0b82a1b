namespace Cdi.Testing;

/// <summary>
/// A real nginx serving one directory on two loopback ports: one honouring Range requests, one that ignores them
/// (<c>max_ranges 0</c>), as a plain server would.
/// </summary>
public sealed class NginxServer : IDisposable
{
    private readonly TempDirectory _prefix = new("cdi-nginx");
    private readonly System.Diagnostics.Process _process;

    public NginxServer(string root)
    {
        Root = root;
        Directory.CreateDirectory(_prefix.File("logs"));
        var (ports, process) = FreePort.StartServer(3, p => Start(root, p), "nginx", TimeSpan.FromSeconds(20));
        (RangePort, PlainPort, SlowPort, _process) = (ports[0], ports[1], ports[2], process);
    }

    private System.Diagnostics.Process Start(string root, int[] ports)
    {
        var user = Environment.UserName == "root" ? "user root;" : "";
        File.WriteAllText(_prefix.File("nginx.conf"), $$"""
            {{user}}
            worker_processes 1;
            error_log {{_prefix.File("logs/error.log")}};
            pid {{_prefix.File("nginx.pid")}};
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{_prefix.Path}}/body;
              proxy_temp_path {{_prefix.Path}}/proxy;
              fastcgi_temp_path {{_prefix.Path}}/fastcgi;
              uwsgi_temp_path {{_prefix.Path}}/uwsgi;
              scgi_temp_path {{_prefix.Path}}/scgi;
              sendfile on;
              default_type application/octet-stream;
              server { listen 127.0.0.1:{{ports[0]}}; root {{root}}; }
              server { listen 127.0.0.1:{{ports[1]}}; root {{root}}; max_ranges 0; }
              server { listen 127.0.0.1:{{ports[2]}}; root {{root}}; limit_rate 2m; }
            }
            """);
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var psi = new System.Diagnostics.ProcessStartInfo(nginx)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in new[] { "-p", _prefix.Path, "-c", _prefix.File("nginx.conf"), "-g", "daemon off;" })
        {
            psi.ArgumentList.Add(a);
        }
        return System.Diagnostics.Process.Start(psi)!;
    }

    public string Root { get; }
    public int RangePort { get; }
    public int PlainPort { get; }

    /// <summary>Serves at 2 MiB/s, so an import lasts long enough to be interrupted.</summary>
    public int SlowPort { get; }

    public string RangeUrl(string file) => $"http://127.0.0.1:{RangePort}/{file}";
    public string PlainUrl(string file) => $"http://127.0.0.1:{PlainPort}/{file}";
    public string SlowUrl(string file) => $"http://127.0.0.1:{SlowPort}/{file}";

    public void Dispose()
    {
        ProcessRunner.Stop(_process);
        _prefix.Dispose();
    }
}
