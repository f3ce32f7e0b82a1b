using System.Text;
using Cdi.Kube.Config;

namespace Cdi.Kube.Tests.Config;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    private const string Yaml = """
        apiVersion: v1
        kind: Config
        current-context: one
        clusters:
        - name: c1
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: Q0EtUEVN
        - name: c2
          cluster:
            server: https://example.invalid:443/prefix
            insecure-skip-tls-verify: true
        contexts:
        - name: one
          context: {cluster: c1, user: u1, namespace: team}
        - name: two
          context: {cluster: c2, user: u2}
        users:
        - name: u1
          user:
            token: secret-token
        - name: u2
          user:
            client-certificate: cert.pem
            client-key-data: S0VZ
            tokenFile: token.txt
        """;

    [Fact]
    public void Current_context_gives_server_namespace_token_and_inline_ca()
    {
        var config = KubeConfigLoader.Parse(Yaml, null, _dir);
        config.Server.Should().Be(new Uri("https://127.0.0.1:6443"));
        config.Namespace.Should().Be("team");
        config.Token.Should().Be("secret-token");
        config.CertificateAuthorityPem.Should().Be("CA-PEM");
        config.InsecureSkipTlsVerify.Should().BeFalse();
        config.ContextName.Should().Be("one");
    }

    [Fact]
    public void Explicit_context_overrides_and_relative_files_resolve_next_to_the_kubeconfig()
    {
        File.WriteAllText(Path.Combine(_dir, "cert.pem"), "CERT");
        var config = KubeConfigLoader.Parse(Yaml, "two", _dir);
        config.Server.AbsolutePath.Should().Be("/prefix");
        config.InsecureSkipTlsVerify.Should().BeTrue();
        config.ClientCertificatePem.Should().Be("CERT");
        config.ClientKeyPem.Should().Be("KEY");
        config.TokenFile.Should().Be(Path.Combine(_dir, "token.txt"));
        config.Namespace.Should().Be("default");
    }

    [Fact]
    public void Unknown_context_is_a_clear_error() =>
        FluentActions.Invoking(() => KubeConfigLoader.Parse(Yaml, "nope", _dir))
            .Should().Throw<KubeConfigException>().WithMessage("*\"nope\" not found*");

    [Fact]
    public void Resolution_order_is_explicit_then_KUBECONFIG_then_in_cluster_then_home()
    {
        var home = Directory.CreateDirectory(Path.Combine(_dir, "home", ".kube")).Parent!.FullName;
        File.WriteAllText(Path.Combine(home, ".kube", "config"), Yaml.Replace("6443", "1111", StringComparison.Ordinal));
        var fromVar = Path.Combine(_dir, "var-config");
        File.WriteAllText(fromVar, Yaml.Replace("6443", "2222", StringComparison.Ordinal));
        var explicitPath = Path.Combine(_dir, "explicit");
        File.WriteAllText(explicitPath, Yaml.Replace("6443", "3333", StringComparison.Ordinal));
        var sa = Directory.CreateDirectory(Path.Combine(_dir, "sa")).FullName;
        File.WriteAllText(Path.Combine(sa, "token"), "sa-token");
        File.WriteAllText(Path.Combine(sa, "namespace"), "cdi\n");
        var vars = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = $"/does/not/exist:{fromVar}", ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "443",
        };
        var env = new KubeConfigEnvironment(vars.GetValueOrDefault, home, sa);

        KubeConfigLoader.Load(explicitPath, null, env).Server.Port.Should().Be(3333);
        KubeConfigLoader.Load(null, null, env).Server.Port.Should().Be(2222);
        vars.Remove("KUBECONFIG");
        var inCluster = KubeConfigLoader.Load(null, null, env);
        inCluster.Server.Should().Be(new Uri("https://10.0.0.1:443"), "a pod's own identity wins over a kubeconfig in its home folder");
        inCluster.TokenFile.Should().Be(Path.Combine(sa, "token"));
        inCluster.Namespace.Should().Be("cdi");
        vars.Remove("KUBERNETES_SERVICE_HOST");
        KubeConfigLoader.Load(null, null, env).Server.Port.Should().Be(1111);
    }

    [Fact]
    public void Nothing_found_is_an_error()
    {
        var env = new KubeConfigEnvironment(_ => null, _dir, Path.Combine(_dir, "none"));
        FluentActions.Invoking(() => KubeConfigLoader.Load(null, null, env)).Should().Throw<KubeConfigException>();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
