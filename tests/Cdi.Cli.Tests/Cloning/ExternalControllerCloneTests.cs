using System.Diagnostics;
using System.Security.Cryptography;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Cloning;

/// <summary>
/// <c>cdi controller</c> as its own process (as a Deployment runs it on a real cluster) takes its clone-stream key as a
/// file: with it a clone succeeds; a missing or wrong key stops it at start with one line.
/// </summary>
public sealed class ExternalControllerCloneTests : IDisposable
{
    private readonly TempDirectory _keys = new("cdi-controller-keys");
    private LocalCluster? _cluster;
    private Process? _controller;

    public void Dispose()
    {
        if (_controller is { HasExited: false })
        {
            _controller.Kill(entireProcessTree: true);
            _controller.WaitForExit();
        }
        _controller?.Dispose();
        _cluster?.Dispose();
        _keys.Dispose();
    }

    private string Phase(string ns, string dv) => _cluster!.Kubectl("get", "dv", dv, "-n", ns, "-o", "jsonpath={.status.phase}").Stdout;

    [Fact]
    public void A_controller_given_its_clone_key_clones()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = _keys.File("clone-signing.key");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        _cluster = new LocalCluster(withController: false);
        var psi = new ProcessStartInfo(Path.Combine(RepoPaths.Root, ".build", "cli", "cdi")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "controller", "--kubeconfig", _cluster.Kubeconfig, "--importer-image", "cdi.local/cdi:latest", "--leader-elect=false", "--clone-signing-key", keyFile })
        {
            psi.ArgumentList.Add(a);
        }
        _controller = Process.Start(psi)!;
        _controller.BeginErrorReadLine();
        _controller.BeginOutputReadLine();
        var ns = _cluster.NewNamespace();
        _cluster.Apply("apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: golden\nspec:\n  source:\n    blank: {}\n  storage:\n    resources:\n      requests:\n        storage: 16Mi\n", ns);
        LocalCluster.WaitUntil(() => Phase(ns, "golden") == "Succeeded", TimeSpan.FromMinutes(2), () => _cluster.Kubectl("describe", "dv", "golden", "-n", ns).Stdout);

        _cluster.Apply($"apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: copy\nspec:\n  source:\n    pvc:\n      namespace: {ns}\n      name: golden\n  storage: {{}}\n", ns);

        LocalCluster.WaitUntil(() => Phase(ns, "copy") is "Succeeded" or "Failed", TimeSpan.FromMinutes(2), () => _cluster.Kubectl("describe", "dv", "copy", "-n", ns).Stdout);
        _cluster.Kubectl("describe", "dv", "copy", "-n", ns).Stdout.Should().Contain("CloneSucceeded").And.NotContain("ErrCloneNotConfigured");
    }

    [Theory]
    [InlineData("missing", "--clone-signing-key", "Could not find file")]
    [InlineData("garbage", "--clone-signing-key", "not a PEM ECDSA key")]
    [InlineData("public", "--clone-signing-key", "a private key is needed")]
    [InlineData("rsa", "--upload-token-public-key", "not a PEM ECDSA key")]
    public void A_wrong_key_file_stops_the_controller_with_one_line(string kind, string option, string expected)
    {
        var path = _keys.File(kind + ".pem");
        using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var rsa = RSA.Create(2048))
        {
            switch (kind)
            {
                case "garbage": File.WriteAllText(path, "not a key"); break;
                case "public": File.WriteAllText(path, ec.ExportSubjectPublicKeyInfoPem()); break;
                case "rsa": File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem()); break;
            }
        }

        var r = CdiCli.Run("controller", "--importer-image", "cdi.local/cdi:latest", option, path);

        r.ExitCode.Should().Be(2);
        CdiCli.ErrorLines(r).Should().ContainSingle(l => l.StartsWith("error: ", StringComparison.Ordinal))
            .Which.Should().Contain(option).And.Contain(expected);
    }
}
