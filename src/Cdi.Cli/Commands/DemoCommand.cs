using System.CommandLine;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Cli.Demo;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cli.Commands;

/// <summary>
/// The main job end to end on this machine: the local cluster with the cdi controller, a qcow2 disk served over HTTP,
/// a DataVolume like seed 002's example, its phases and progress to Succeeded, and proof that the volume holds exactly
/// the disk's bytes.
/// </summary>
internal static class DemoCommand
{
    private const long DiskSize = 256L << 20;
    private const string Name = "demo-disk";
    private const string Namespace = "default";

    public static Command Create()
    {
        var keep = new Option<bool>("--keep") { Description = "Keep the cluster, the DataVolume and the image server's files afterwards" };
        var dir = new Option<string>("--dir") { Description = "The local cluster's directory (started if not running)", DefaultValueFactory = _ => ".cdi" };
        var demo = new Command("demo", "Import a qcow2 disk into a DataVolume on the local cluster and verify the volume") { keep, dir };
        demo.SetAction(async (parse, cancellationToken) =>
        {
            var work = Path.Combine(Path.GetTempPath(), $"cdi-demo-{Guid.NewGuid():N}");
            Directory.CreateDirectory(work);
            DemoCluster? cluster = null;
            try
            {
                cluster = await DemoCluster.StartOrReuseAsync(Path.GetFullPath(parse.GetValue(dir)!), cancellationToken).ConfigureAwait(false);
                return await RunAsync(work, cluster, parse.GetValue(keep), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or KubeApiException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
            finally
            {
                if (!parse.GetValue(keep))
                {
                    if (cluster is not null)
                    {
                        await cluster.StopIfStartedAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    Directory.Delete(work, recursive: true);
                }
            }
        });
        return demo;
    }

    private static async Task<int> RunAsync(string work, DemoCluster cluster, bool keep, CancellationToken cancellationToken)
    {
        Console.WriteLine(cluster.StartedHere ? $"1. started the local cluster in {cluster.Directory}" : $"1. using the local cluster running in {cluster.Directory}");
        var served = Directory.CreateDirectory(Path.Combine(work, "www")).FullName;
        var raw = Path.Combine(work, "guest.raw");
        Console.WriteLine($"2. made a {DiskSize >> 20} MiB guest disk, converted to compressed qcow2 with qemu-img");
        DemoDisk.Write(raw, DiskSize);
        await DemoDisk.QemuImgAsync(["convert", "-f", "raw", "-O", "qcow2", "-c", raw, Path.Combine(served, "guest.qcow2")], cancellationToken).ConfigureAwait(false);
        await using var server = await LocalFileServer.StartAsync(served, cancellationToken).ConfigureAwait(false);
        var url = new Uri(server.BaseUrl, "guest.qcow2");
        Console.WriteLine($"   serving it at {url}");

        using var client = new KubeClient(KubeConfigLoader.FromFile(cluster.Kubeconfig));
        await DeleteLeftoverAsync(client, cancellationToken).ConfigureAwait(false);
        var dv = new DataVolume
        {
            Metadata = new ObjectMeta { Name = Name, Namespace = Namespace },
            Spec = new DataVolumeSpec
            {
                Source = new DataVolumeSource { Http = new HttpDataSource { Url = url.ToString() } },
                Pvc = new PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new VolumeResourceRequirements { Requests = new() { ["storage"] = "512Mi" } },
                },
            },
        };
        await client.CreateAsync(CdiResources.DataVolumes, dv, cancellationToken: cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"3. created DataVolume {Namespace}/{Name} (http source, 512Mi claim); watching it:");

        var final = await FollowAsync(client, cancellationToken).ConfigureAwait(false);
        if (final.Status?.Phase != DataVolumePhase.Succeeded)
        {
            var why = final.Status?.Conditions?.FirstOrDefault(c => c.Type == "Running")?.Message;
            Console.WriteLine($"demo: FAILED — DataVolume ended {final.Status?.Phase}: {why}");
            return 1;
        }

        var events = await client.ListAsync(KubeResources.Events, Namespace,
            new ListOptions { FieldSelector = $"involvedObject.name={Name},involvedObject.kind=DataVolume" }, cancellationToken).ConfigureAwait(false);
        foreach (var e in events.Items.OrderBy(e => e.LastTimestamp ?? e.Metadata.CreationTimestamp))
        {
            Console.WriteLine($"   event {e.Reason,-22} {e.Message}");
        }

        var claim = await client.GetAsync(KubeResources.PersistentVolumeClaims, Name, Namespace, cancellationToken).ConfigureAwait(false);
        var pv = await client.GetAsync(KubeResources.PersistentVolumes, claim.Spec!.VolumeName!, cancellationToken: cancellationToken).ConfigureAwait(false);
        var disk = Path.Combine(pv.Spec!.HostPath!.Path, "disk.img");
        Console.WriteLine($"4. verifying the volume's disk.img ({disk})");
        var expected = await DemoDisk.HashAsync(raw, DiskSize, cancellationToken).ConfigureAwait(false);
        var actual = await DemoDisk.HashAsync(disk, DiskSize, cancellationToken).ConfigureAwait(false);
        var tailZero = await DemoDisk.IsZeroAfterAsync(disk, DiskSize, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"   guest disk sha256  {Convert.ToHexStringLower(expected)}");
        Console.WriteLine($"   volume     sha256  {Convert.ToHexStringLower(actual)}");
        Console.WriteLine($"   zeros after the guest disk: {tailZero}; disk.img is {new FileInfo(disk).Length} bytes");
        var ok = expected.AsSpan().SequenceEqual(actual) && tailZero;
        Console.WriteLine();
        Console.WriteLine("explore it with kubectl:");
        Console.WriteLine($"   export KUBECONFIG={cluster.Kubeconfig}");
        Console.WriteLine($"   kubectl get datavolume {Name}");
        Console.WriteLine($"   kubectl describe datavolume {Name}");
        Console.WriteLine("   kubectl get pvc,pv,events");
        if (!keep)
        {
            await client.DeleteAsync(CdiResources.DataVolumes, Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            Console.WriteLine(cluster.StartedHere
                ? "(the demo stops the cluster it started and deletes its DataVolume; run `./cdi demo --keep` to keep them)"
                : "(the demo deleted its DataVolume; run `./cdi demo --keep` to keep it)");
        }
        Console.WriteLine(ok ? "demo: verified — the volume holds exactly the guest disk" : "demo: FAILED verification");
        return ok ? 0 : 1;
    }

    private static async Task<DataVolume> FollowAsync(KubeClient client, CancellationToken cancellationToken)
    {
        var last = "";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(10));
        while (true)
        {
            var dv = await client.GetAsync(CdiResources.DataVolumes, Name, Namespace, deadline.Token).ConfigureAwait(false);
            var line = $"   {dv.Status?.Phase ?? "(new)",-18} {dv.Status?.Progress ?? ""}";
            if (line != last)
            {
                Console.WriteLine(line);
                last = line;
            }
            if (dv.Status?.Phase is DataVolumePhase.Succeeded or DataVolumePhase.Failed)
            {
                return dv;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token).ConfigureAwait(false);
        }
    }

    private static async Task DeleteLeftoverAsync(KubeClient client, CancellationToken cancellationToken)
    {
        if (await client.TryGetAsync(CdiResources.DataVolumes, Name, Namespace, cancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }
        await client.DeleteAsync(CdiResources.DataVolumes, Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        while (await client.TryGetAsync(KubeResources.PersistentVolumeClaims, Name, Namespace, cancellationToken).ConfigureAwait(false) is not null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }
}
