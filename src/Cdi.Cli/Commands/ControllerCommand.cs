using System.CommandLine;
using System.Runtime.InteropServices;
using Cdi.Controller;
using Cdi.Controller.Runtime;
using Cdi.Kube.Config;
using Cdi.Kube.Leases;
using Cdi.Kube.Rest;

namespace Cdi.Cli.Commands;

/// <summary><c>cdi controller</c>: the DataVolume controller against any cluster (kubeconfig or in-cluster).</summary>
internal static class ControllerCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, in-cluster, ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context" };
        var image = new Option<string>("--importer-image") { Description = "Image importer pods run", Required = true };
        var leaderElect = new Option<bool>("--leader-elect")
        {
            Description = "Run only while holding the cdi-controller Lease, so replicas never reconcile at once (--leader-elect=false: a single replica, at your own risk)",
            DefaultValueFactory = _ => true,
        };
        var leaseNamespace = new Option<string>("--lease-namespace") { Description = "Namespace of the Lease", DefaultValueFactory = _ => "cdi" };
        var metricsAddress = new Option<string>("--metrics-bind-address")
        {
            Description = "Serve /metrics, /healthz and /readyz on HOST:PORT (or :PORT for every address); 0 turns them off",
            DefaultValueFactory = _ => "0",
        };
        var cloneKey = new Option<string?>("--clone-signing-key")
        {
            Description = "PEM ECDSA P-256 private key the controller signs clone-stream tokens with (without it, clones fail with ErrCloneNotConfigured)",
        };
        var uploadKey = new Option<string?>("--upload-token-public-key")
        {
            Description = "PEM public key of the upload-token signer (cdi's API server), handed to upload servers (without it, uploads fail clearly)",
        };
        var uploadProxyUrl = new Option<string?>("--upload-proxy-url") { Description = "The upload proxy's URL, published in CDIConfig status.uploadProxyURL" };
        var command = new Command("controller", "Run the DataVolume controller")
        {
            kubeconfig, context, image, leaderElect, leaseNamespace, metricsAddress, cloneKey, uploadKey, uploadProxyUrl,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            if (!ControllerEndpoints.TryParseAddress(parse.GetValue(metricsAddress)!, out var endpointAddress, out var addressError))
            {
                Console.Error.WriteLine($"error: {addressError}");
                return 2;
            }
            var cloneSigningKey = ControllerKeyFile.Private("--clone-signing-key", parse.GetValue(cloneKey), out var keyError);
            var uploadTokenKey = keyError is null ? ControllerKeyFile.Public("--upload-token-public-key", parse.GetValue(uploadKey), out keyError) : null;
            if (keyError is not null)
            {
                Console.Error.WriteLine($"error: {keyError}");
                return 2;
            }
            if (parse.GetValue(uploadProxyUrl) is { } proxy && !(Uri.TryCreate(proxy, UriKind.Absolute, out var proxyUri) && proxyUri.Scheme is "https" or "http"))
            {
                Console.Error.WriteLine($"error: --upload-proxy-url {proxy}: expected an http(s) URL");
                return 2;
            }
            KubeConfig config;
            try
            {
                config = KubeConfigLoader.Load(parse.GetValue(kubeconfig), parse.GetValue(context));
            }
            catch (KubeConfigException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            using var client = new KubeClient(config);
            using var logging = ConsoleLogging.Create();
            var host = new ControllerHost(client, new ControllerOptions(parse.GetValue(image)!)
            {
                CloneSigningKey = cloneSigningKey,
                UploadTokenPublicKey = uploadTokenKey,
                UploadProxyUrl = parse.GetValue(uploadProxyUrl),
            }, logging.CreateLogger("datavolume-controller"));
            ControllerEndpoints? endpoints = null;
            if (endpointAddress is not null)
            {
                try
                {
                    endpoints = await ControllerEndpoints.StartAsync(endpointAddress, () => host.Controllers, stop.Token).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    Console.Error.WriteLine($"error: cannot serve /metrics on {endpointAddress}: {e.Message.ReplaceLineEndings(" ")}");
                    return 1;
                }
                Console.Error.WriteLine($"serving /metrics, /healthz and /readyz on {endpoints.Url}");
            }
            await using var served = endpoints;
            if (!parse.GetValue(leaderElect))
            {
                await host.RunAsync(stop.Token).ConfigureAwait(false);
                return 0;
            }
            var identity = $"{Environment.MachineName}-{Environment.ProcessId}";
            string? lastLeaseProblem = null;
            var elector = new LeaderElector(client, new LeaderElectionConfig(parse.GetValue(leaseNamespace)!, "cdi-controller", identity))
            {
                OnStartedLeading = host.RunAsync,
                OnNewLeader = leader => Console.Error.WriteLine($"leader is {leader}"),
                OnRoundFailed = e =>
                {
                    // Once per distinct reason, so a missing namespace or Role is said rather than waited on in silence.
                    var reason = e.Message.ReplaceLineEndings(" ");
                    if (Interlocked.Exchange(ref lastLeaseProblem, reason) != reason)
                    {
                        Console.Error.WriteLine($"warning: cannot take the lease {parse.GetValue(leaseNamespace)}/cdi-controller: {reason}");
                    }
                },
            };
            // Leadership lost means another replica may already reconcile: stop, and let the pod restart to campaign again.
            await elector.RunAsync(stop.Token).ConfigureAwait(false);
            return stop.IsCancellationRequested ? 0 : 1;
        });
        return command;
    }
}
