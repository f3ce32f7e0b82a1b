using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Cdi.Testing;

/// <summary>
/// Plain HTTPS to the cluster a kubeconfig names (server, CA, bearer token), for observers (crash tests, benchmarks)
/// that must not depend on the project's own client, which is what they test or measure.
/// </summary>
public sealed partial class ClusterApi : IDisposable
{
    private readonly X509Certificate2 _ca;

    public ClusterApi(string kubeconfig)
    {
        var text = File.ReadAllText(kubeconfig);
        Server = new Uri(Field(text, "server"));
        Token = Field(text, "token");
        _ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(Field(text, "certificate-authority-data"))));
        Http = new HttpClient(CreateHandler()) { BaseAddress = Server, Timeout = Timeout.InfiniteTimeSpan };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri Server { get; }
    public string Token { get; }
    public HttpClient Http { get; }

    /// <summary>A handler that trusts the cluster's CA only (for the proxy's own upstream client too).</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, cert, chain, _) => Trusted(cert, chain) },
        MaxConnectionsPerServer = 256,
        // Crash tests restart the server on the same port: no connection outlives a minute.
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    };

    private bool Trusted(X509Certificate? cert, X509Chain? chain)
    {
        if (cert is not X509Certificate2 leaf || chain is null)
        {
            return false;
        }
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static string Field(string kubeconfig, string name) =>
        FieldLine().Matches(kubeconfig).FirstOrDefault(m => m.Groups[1].Value == name)?.Groups[2].Value.Trim()
        ?? throw new InvalidOperationException($"the kubeconfig has no {name}");

    [GeneratedRegex(@"^\s*([a-z-]+):\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex FieldLine();

    public void Dispose()
    {
        Http.Dispose();
        _ca.Dispose();
    }
}
