using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Uploads;

/// <summary><c>./cdi upload</c> against the local cluster's upload proxy, as a user runs it.</summary>
[Collection(UploadCollection.Name)]
public sealed partial class UploadCommandTests(UploadEnvironment env)
{
    private LocalCluster Cluster => env.Cluster;

    private string Disk(string ns, string claim) => Path.Combine(Cluster.VolumePath(ns, claim), "disk.img");

    [Fact]
    public void Cdi_upload_creates_the_DataVolume_and_the_volume_holds_qemu_imgs_conversion_of_the_qcow2()
    {
        var ns = Cluster.NewNamespace();

        var run = CdiCli.Run("upload", "--dv", "cli", "-n", ns, "--image-path", env.Qcow2, "--size", "64Mi",
            "--kubeconfig", Cluster.Kubeconfig, "--progress", "bar");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain($"into DataVolume {ns}/cli: Succeeded").And.Contain("sha256:").And.Contain("verified");
        run.Stderr.Should().Contain($"created DataVolume {ns}/cli").And.Contain("100.0%").And.MatchRegex(@"/s ETA ");
        Cluster.Ok("get", "dv", "cli", "-n", ns, "-o", "jsonpath={.status.phase}").Should().Be("Succeeded");
        ProcessRunner.Sh($"cmp -n {UploadEnvironment.DiskSize} '{Disk(ns, "cli")}' '{env.Qcow2Reference}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public async Task Cdi_upload_whose_connection_drops_mid_way_resumes_from_the_servers_offset_and_an_unreachable_proxy_is_one_line()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(VirtctlClient.DataVolume("cut"), ns);

        var unreachable = await Task.Run(() => CdiCli.Run("upload", "--dv", "cut", "-n", ns, "--image-path", env.DenseQcow2, "--no-create",
            "--kubeconfig", Cluster.Kubeconfig, "--uploadproxy-url", $"https://127.0.0.1:{FreePort.Next()}"));
        unreachable.ExitCode.Should().Be(1);
        CdiCli.ErrorLines(unreachable).Should().ContainSingle().Which.Should().StartWith("error: cannot reach the upload proxy at https://127.0.0.1:");

        var size = new FileInfo(env.DenseQcow2).Length;
        await using var cutter = new CuttingTcpProxy(new IPEndPoint(IPAddress.Parse(env.ProxyUrl.Host), env.ProxyUrl.Port), size / 4);
        var run = await Task.Run(() => CdiCli.Run("upload", "--dv", "cut", "-n", ns, "--image-path", env.DenseQcow2, "--no-create",
            "--kubeconfig", Cluster.Kubeconfig, "--uploadproxy-url", $"https://{env.ProxyUrl.Host}:{cutter.Port}", "--progress", "none"));

        run.ExitCode.Should().Be(0, run.Stderr);
        cutter.Cuts.Should().Be(1, "the relay dropped the upload's connection once");
        run.Stderr.Should().Contain("connection lost after byte");
        var resumes = ResumedAt().Matches(run.Stderr).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        resumes.Should().NotBeEmpty();
        resumes[^1].Should().BeGreaterThan(0, "the last attempt continued where the server was, it did not start over").And.BeLessThan(size);
        ProcessRunner.Sh($"cmp -n {UploadEnvironment.DenseSize} '{Disk(ns, "cut")}' '{env.DenseReference}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public void A_missing_file_or_a_bad_flag_is_one_line_and_exit_code_2()
    {
        var missing = env.Images.File("not-there.qcow2");
        var cases = new (string[] Args, string Says)[]
        {
            (["--image-path", missing], "no such file"),
            (["--image-path", env.Qcow2, "--checksum", "sha256:abc"], "--checksum"),
            (["--image-path", env.Qcow2, "--uploadproxy-url", "ftp://x"], "not an http(s) URL"),
            (["--image-path", env.Qcow2, "--size", "lots"], "--size"),
            (["--image-path", env.Qcow2, "--no-such-flag"], "--no-such-flag"),
        };
        foreach (var (args, says) in cases)
        {
            var run = CdiCli.Run(["upload", "--dv", "x", "-n", "y", "--kubeconfig", Cluster.Kubeconfig, .. args]);
            run.ExitCode.Should().Be(2, string.Join(' ', args));
            CdiCli.ErrorLines(run).Should().ContainSingle(string.Join(' ', args)).Which.Should().StartWith("error: ").And.Contain(says);
        }
    }

    [GeneratedRegex(@"resuming from byte ([0-9]+)")]
    private static partial Regex ResumedAt();
}
