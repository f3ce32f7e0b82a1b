using System.CommandLine;
using System.Runtime.InteropServices;
using Cdi.Cluster;
using Cdi.Cluster.Hosting;
using Cdi.Cluster.Kubelet;
using Cdi.Cluster.Provisioner;

namespace Cdi.Cli.Commands;

internal static class ClusterCommand
{
    public static Command Create()
    {
        var cluster = new Command("cluster", "Run the embedded single-node Kubernetes control plane (local cluster)");
        cluster.Subcommands.Add(Up());
        cluster.Subcommands.Add(Down());
        return cluster;
    }

    private static Option<string> DirOption() => new("--dir")
    {
        Description = "The cluster directory (store, kubeconfig, logs, volumes)",
        DefaultValueFactory = _ => ".cdi",
    };

    private static Command Up()
    {
        var dir = DirOption();
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => ClusterHost.DefaultPort };
        var detach = new Option<bool>("--detach") { Description = "Run in the background (output in DIR/cluster.log) and return once ready" };
        var image = new Option<string>("--image") { Description = "The container image that pods run as the cdi binary", DefaultValueFactory = _ => ClusterHost.DefaultImage };
        var uploadProxyPort = new Option<int>("--upload-proxy-port") { Description = "Port of the upload proxy on 127.0.0.1 (0: any free port; CDIConfig's status.uploadProxyURL names it)" };
        var withoutController = new Option<bool>("--without-controller") { Description = "Do not run the cdi DataVolume controller inside the cluster (run `cdi controller` yourself)" };
        var up = new Command("up", "Start the local cluster and write DIR/kubeconfig") { dir, port, detach, image, withoutController, uploadProxyPort };
        up.SetAction((parseResult, ct) => UpAsync(
            Path.GetFullPath(parseResult.GetValue(dir)!), parseResult.GetValue(port), parseResult.GetValue(detach), parseResult.GetValue(image)!,
            parseResult.GetValue(withoutController), parseResult.GetValue(uploadProxyPort), ct));
        return up;
    }

    private static Command Down()
    {
        var dir = DirOption();
        var down = new Command("down", "Stop the local cluster running in DIR (its objects stay in DIR)") { dir };
        down.SetAction(async (parseResult, ct) =>
        {
            var path = Path.GetFullPath(parseResult.GetValue(dir)!);
            var stopped = await new ClusterLauncher(TimeProvider.System).StopAsync(path, ct).ConfigureAwait(false);
            Console.WriteLine(stopped ? $"cluster in {path} stopped" : $"no cluster is running in {path}");
            return 0;
        });
        return down;
    }

    private static async Task<int> UpAsync(string dir, int port, bool detach, string image, bool withoutController, int uploadProxyPort, CancellationToken ct)
    {
        if (ClusterLauncher.IsRunning(dir))
        {
            Console.WriteLine($"a cluster is already running in {dir}");
            PrintUsage(dir, await ClusterLauncher.ReadyUrlAsync(dir, ct).ConfigureAwait(false));
            return 0;
        }
        if (detach)
        {
            var args = Environment.GetCommandLineArgs().Skip(1).Where(a => a != "--detach").ToList();
            try
            {
                var url = await new ClusterLauncher(TimeProvider.System)
                    .StartDetachedAsync(dir, Environment.ProcessPath ?? "cdi", args, ct).ConfigureAwait(false);
                Console.WriteLine($"cluster is up in the background (log: {ClusterFiles.Log(dir)})");
                PrintUsage(dir, url);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        }
        return await RunForegroundAsync(dir, port, image, withoutController, uploadProxyPort, ct).ConfigureAwait(false);
    }

    /// <summary>Where the cdi-worker binary is, when not beside cdi (set by the ./cdi script).</summary>
    private const string WorkerVariable = "CDI_WORKER";

    private static async Task<int> RunForegroundAsync(string dir, int port, string image, bool withoutController, int uploadProxyPort, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // `cluster down` sends SIGTERM; a terminal sends SIGINT. Both mean "stop cleanly".
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        // The local cluster's parts beside the API server (volume provisioner, pod runner) register here.
        var options = new ClusterHostOptions(dir)
        {
            Port = port, Image = image, CdiExecutable = Environment.ProcessPath ?? "cdi", UploadProxyPort = uploadProxyPort,
            // ./cdi builds cdi-worker apart from cdi (.build/worker) and says where; an installed cdi has it beside itself.
            WorkerExecutable = Environment.GetEnvironmentVariable(WorkerVariable) is { Length: > 0 } worker ? worker : null,
        };
        using var logging = ConsoleLogging.Create();
        List<IClusterComponent> components =
        [
            new HostPathProvisioner(logger: logging.CreateLogger("provisioner")),
            new PodRunner(new PodRunnerOptions { NodeName = options.NodeName }, logger: logging.CreateLogger("kubelet")),
        ];
        if (!withoutController)
        {
            components.Add(new DataVolumeControllerComponent());
        }
        await using var host = new ClusterHost(options, components);
        try
        {
            await host.StartAsync(stop.Token).ConfigureAwait(false);
        }
        catch (ClusterAlreadyRunningException e)
        {
            Console.WriteLine(e.Message);
            return 0;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: cannot start the API server on 127.0.0.1:{port}: {e.Message}");
            return 1;
        }
        ClusterLauncher.WritePid(dir);
        Console.WriteLine($"cluster is up: {host.ApiServerUrl.GetLeftPart(UriPartial.Authority)} (Ctrl+C or `cdi cluster down --dir {dir}` stops it)");
        PrintUsage(dir, host.ApiServerUrl);
        Console.WriteLine($"upload proxy: {host.Context.UploadProxyUrl?.GetLeftPart(UriPartial.Authority)}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        await host.StopAsync().ConfigureAwait(false);
        ClusterLauncher.RemovePid(dir);
        Console.WriteLine("cluster stopped");
        return 0;
    }

    private static void PrintUsage(string dir, Uri? url)
    {
        if (url is not null)
        {
            Console.WriteLine($"API server: {url.GetLeftPart(UriPartial.Authority)}");
        }
        Console.WriteLine("point kubectl at it with:");
        Console.WriteLine($"  export KUBECONFIG={ClusterFiles.Kubeconfig(dir)}");
        Console.WriteLine("  kubectl get nodes");
    }
}
