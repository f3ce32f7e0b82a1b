using Cdi.Bench.KubeClient.Startup;
using Cdi.Kube.Config;
using Cdi.Kube.Rest;

// Usage: StartupOurs KUBECONFIG [probe]. Without "probe": exits 0 after the first successful GET (the caller times
// the whole process). With it: the official probe's capabilities through Cdi.Kube, one line each.
using var client = new KubeClient(KubeConfigLoader.FromFile(args[0]));
if (args.Length > 1 && args[1] == "probe") return await OursProbe.RunAsync(client).ConfigureAwait(false);
var ns = await client.GetAsync(KubeResources.Namespaces, "default").ConfigureAwait(false);
Console.WriteLine($"ok {ns.Metadata.Name}");
return 0;
