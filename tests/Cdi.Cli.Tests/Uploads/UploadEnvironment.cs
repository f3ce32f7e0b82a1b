using System.Security.Cryptography;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Uploads;

/// <summary>One local cluster (with the controller and its upload proxy) and the images uploaded into it, shared by the upload tests.</summary>
public sealed class UploadEnvironment : IDisposable
{
    public const long DiskSize = 32L << 20;
    public const long DenseSize = 16L << 20;

    public UploadEnvironment()
    {
        Images = new TempDirectory("cdi-upload-images");
        Raw = TestImages.CreateRaw(Images.File("disk.raw"), DiskSize);
        Qcow2 = TestImages.Convert(Raw, Images.File("disk.qcow2"), "qcow2", "compat=1.1");
        // What the volume must hold: qemu-img's own reading of the uploaded file.
        Qcow2Reference = TestImages.Reference(Qcow2, "qcow2", Images.File("disk.qcow2.raw"));
        RawXz = Images.File("disk.raw.xz");
        ProcessRunner.Sh($"xz -T2 -c '{Raw}' > '{RawXz}'");
        ProcessRunner.Sh($"mkdir -p '{Images.File("tree")}/etc' && echo hello > '{Images.File("tree")}/etc/motd' && tar -C '{Images.File("tree")}' -czf '{Images.File("files.tar.gz")}' etc");
        Archive = Images.File("files.tar.gz");
        // Incompressible content, so the qcow2 is as large as its data and an upload of it can be cut off halfway.
        ProcessRunner.Sh($"head -c {DenseSize} /dev/urandom > '{Images.File("dense.raw")}'");
        DenseQcow2 = TestImages.Convert(Images.File("dense.raw"), Images.File("dense.qcow2"), "qcow2");
        DenseReference = TestImages.Reference(DenseQcow2, "qcow2", Images.File("dense.qcow2.raw"));
        Cluster = new LocalCluster();
        Api = new ClusterApi(Cluster.Kubeconfig);
        LocalCluster.WaitUntil(() => ProxyUrlOrNull() is not null, TimeSpan.FromMinutes(1), () => Cluster.Kubectl("get", "cdiconfig", "config", "-o", "yaml").Stdout);
        ProxyUrl = new Uri(ProxyUrlOrNull()!);
        Proxy = new HttpClient(Api.CreateHandler()) { Timeout = TimeSpan.FromMinutes(3) };
    }

    public TempDirectory Images { get; }
    public string Raw { get; }
    public string Qcow2 { get; }
    public string Qcow2Reference { get; }
    public string RawXz { get; }
    public string Archive { get; }
    public string DenseQcow2 { get; }
    public string DenseReference { get; }
    public LocalCluster Cluster { get; }
    public ClusterApi Api { get; }

    /// <summary>CDIConfig's status.uploadProxyURL, as virtctl finds it.</summary>
    public Uri ProxyUrl { get; }

    /// <summary>HTTPS to the proxy, trusting the cluster's CA only.</summary>
    public HttpClient Proxy { get; }

    /// <summary>The cluster's own token-signing key, read from its folder (to forge tokens of foreign scope or expired ones).</summary>
    public ECDsa SigningKey()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(Cluster.Directory, "pki", "upload-signing.key")));
        return key;
    }

    private string? ProxyUrlOrNull()
    {
        var url = Cluster.Kubectl("get", "cdiconfig", "config", "-o", "jsonpath={.status.uploadProxyURL}").Stdout.Trim();
        return url.Length == 0 ? null : url;
    }

    public void Dispose()
    {
        Proxy.Dispose();
        Api.Dispose();
        Cluster.Dispose();
        Images.Dispose();
    }
}
