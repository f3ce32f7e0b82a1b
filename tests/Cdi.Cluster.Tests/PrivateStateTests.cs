using System.Globalization;
using Cdi.Testing;

namespace Cdi.Cluster.Tests;

/// <summary>
/// A cluster started the way users start it (<c>./cdi cluster up --detach</c>) keeps its state to its user: the folder
/// 0700, and the store, keys, token, kubeconfig, log and the secret volumes it writes for pods 0600 (folders 0700).
/// </summary>
public sealed class PrivateStateTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;

    [Fact]
    public void A_started_cluster_and_the_secret_volumes_it_writes_are_owner_only()
    {
        using var cluster = new LocalCluster(withController: false);
        var ns = cluster.NewNamespace();
        cluster.Apply("apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata: {key: c2VjcmV0}\n", ns);
        cluster.Apply("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}
            """, ns);
        cluster.Apply("""
            apiVersion: v1
            kind: Pod
            metadata: {name: reader}
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: cdi.local/cdi:latest
                command: [cdi, --help]
                volumeMounts: [{name: creds, mountPath: /creds}, {name: data, mountPath: /data}]
              volumes:
              - name: creds
                secret: {secretName: creds}
              - name: data
                persistentVolumeClaim: {claimName: data}
            """, ns);
        LocalCluster.WaitUntil(() => cluster.Ok("get", "pod", "reader", "-n", ns, "-o", "jsonpath={.status.phase}") == "Succeeded",
            TimeSpan.FromMinutes(2), () => cluster.Ok("get", "pod", "reader", "-n", ns, "-o", "yaml"));

        var dir = cluster.Directory;
        var pod = Path.Combine(dir, "pods", ns, "reader");
        var modes = new Dictionary<string, UnixFileMode>
        {
            [dir] = PrivateFolder,
            [Path.Combine(dir, "pki")] = PrivateFolder,
            [Path.Combine(dir, "pki", "ca.key")] = Private,
            [Path.Combine(dir, "pki", "apiserver.key")] = Private,
            [Path.Combine(dir, "pki", "token")] = Private,
            [Path.Combine(dir, "kubeconfig")] = Private,
            [Path.Combine(dir, "cluster.db")] = Private,
            [Path.Combine(dir, "cluster.db-wal")] = Private,
            [Path.Combine(dir, "cluster.db-shm")] = Private,
            [Path.Combine(dir, "cluster.log")] = Private,
            [Path.Combine(dir, "volumes")] = PrivateFolder,
            [Path.Combine(dir, "pods")] = PrivateFolder,
            [pod] = PrivateFolder,
            [Path.Combine(pod, "volumes", "creds")] = PrivateFolder,
            [Path.Combine(pod, "volumes", "creds", "key")] = Private,
            [Path.Combine(pod, "main.log")] = Private,
            [Path.Combine(pod, "main.termination-log")] = Private,
        };
        foreach (var (path, mode) in modes)
        {
            File.GetUnixFileMode(path).Should().Be(mode, path);
        }
        File.ReadAllText(Path.Combine(pod, "volumes", "creds", "key")).Should().Be("secret");
    }

    [Fact]
    public void Cluster_up_tightens_the_folder_and_files_an_older_cluster_left_readable()
    {
        using var temp = new TempDirectory("cdi-loose");
        var dir = temp.Sub("cluster");
        const UnixFileMode Loose = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode LooseFolder = PrivateFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        foreach (var folder in (string[])["pki", "pods", "volumes"]) Directory.CreateDirectory(Path.Combine(dir, folder));
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(Path.Combine(dir, "pki", "token"), token);
        File.WriteAllBytes(Path.Combine(dir, "cluster.db"), []);
        File.WriteAllText(Path.Combine(dir, "cluster.log"), "an older run\n");
        foreach (var file in (string[])["pki/token", "cluster.db", "cluster.log"]) File.SetUnixFileMode(Path.Combine(dir, file), Loose);
        File.SetUnixFileMode(dir, LooseFolder);
        foreach (var folder in (string[])["pki", "pods", "volumes"]) File.SetUnixFileMode(Path.Combine(dir, folder), LooseFolder);

        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        try
        {
            var up = ProcessRunner.Run(RepoPaths.CdiScript, ["cluster", "up", "--dir", dir, "--port", port, "--detach", "--without-controller"],
                timeout: TimeSpan.FromMinutes(3));
            up.ExitCode.Should().Be(0, up.Stdout + up.Stderr);

            File.GetUnixFileMode(dir).Should().Be(PrivateFolder);
            foreach (var folder in (string[])["pki", "pods", "volumes"])
            {
                File.GetUnixFileMode(Path.Combine(dir, folder)).Should().Be(PrivateFolder, folder);
            }
            foreach (var file in (string[])["pki/token", "pki/ca.key", "cluster.db", "cluster.db-wal", "cluster.log", "kubeconfig"])
            {
                File.GetUnixFileMode(Path.Combine(dir, file)).Should().Be(Private, file);
            }
            File.ReadAllText(Path.Combine(dir, "cluster.log")).Should().StartWith("an older run\n", "the log is appended to, not replaced");
            File.ReadAllText(Path.Combine(dir, "kubeconfig")).Should().Contain("token: " + token, "the existing token is kept");
            var get = ProcessRunner.Run("kubectl", ["--kubeconfig", Path.Combine(dir, "kubeconfig"), "get", "ns", "default"]);
            get.ExitCode.Should().Be(0, get.Stderr);
        }
        finally
        {
            ProcessRunner.Run(RepoPaths.CdiScript, ["cluster", "down", "--dir", dir], timeout: TimeSpan.FromMinutes(1));
        }
    }
}
