using Cdi.Kube.Config;
using Cdi.Kube.Rest;

// Usage: StartupOurs KUBECONFIG. Exits 0 after the first successful GET; the caller times the whole process.
using var client = new KubeClient(KubeConfigLoader.FromFile(args[0]));
var ns = await client.GetAsync(KubeResources.Namespaces, "default").ConfigureAwait(false);
Console.WriteLine($"ok {ns.Metadata.Name}");
