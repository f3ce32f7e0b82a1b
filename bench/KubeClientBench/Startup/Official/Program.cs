using Cdi.Bench.KubeClient.Startup;
using k8s;

// Usage: PROGRAM KUBECONFIG [probe]. Without "probe": exits 0 after the first successful GET (the caller times the
// whole process). With it: tries each API cdi needs and prints one line per capability.
var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(args[0]));
if (args.Length > 1 && args[1] == "probe") return await CapabilityProbe.RunAsync(client).ConfigureAwait(false);
var ns = await client.CoreV1.ReadNamespaceAsync("default").ConfigureAwait(false);
Console.WriteLine($"ok {ns.Metadata.Name}");
return 0;
