using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests;

/// <summary>
/// Who can reach the local cluster, as the README states it: the API server listens on 127.0.0.1 only, every request
/// needs the bearer token the kubeconfig carries, and only health and version answer without it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReachabilityTests(SharedCluster shared)
{
    private LocalCluster Cluster => shared.Cluster;

    [Fact]
    public void The_api_server_listens_on_the_loopback_address_only()
    {
        var url = Cluster.Context.ApiServerUrl;
        url.Host.Should().Be("127.0.0.1");
        File.ReadAllText(Path.Combine(Cluster.Directory, "kubeconfig")).Should().Contain($"server: https://127.0.0.1:{url.Port}");

        // The kernel's own list of listening sockets: one on 127.0.0.1 for this port, none on any other address.
        var listening = ListeningAddresses(url.Port);
        listening.Should().Contain("0100007F", "127.0.0.1 in /proc/net/tcp's byte order");
        listening.Should().OnlyContain(a => a == "0100007F");
    }

    [Fact]
    public async Task Without_the_token_only_health_and_version_answer()
    {
        using var anonymous = Cluster.Http(authenticated: false);
        foreach (var open in (string[])["/healthz", "/livez", "/readyz", "/version"])
        {
            using var response = await anonymous.GetAsync(open);
            response.StatusCode.Should().Be(HttpStatusCode.OK, open);
        }
        foreach (var closed in (string[])["/api", "/apis", "/api/v1/secrets", "/api/v1/namespaces/default/pods", "/openapi/v3"])
        {
            using var response = await anonymous.GetAsync(closed);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, closed);
        }

        using var wrong = Cluster.Http(authenticated: false);
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new string('0', 64));
        (await wrong.GetAsync("/api/v1/secrets")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var token = (await File.ReadAllTextAsync(Path.Combine(Cluster.Directory, "pki", "token"))).Trim();
        File.ReadAllText(Path.Combine(Cluster.Directory, "kubeconfig")).Should().Contain("token: " + token);
        using var holder = Cluster.Http(authenticated: false);
        holder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await holder.GetAsync("/api/v1/secrets")).StatusCode.Should().Be(HttpStatusCode.OK, "DIR/pki/token is the credential");
    }

    // Local addresses (hex, as the kernel prints them) of TCP sockets in LISTEN state on the port, IPv4 and IPv6.
    private static List<string> ListeningAddresses(int port)
    {
        var addresses = new List<string>();
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] == "0A" && int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port) addresses.Add(local[0]);
            }
        }
        return addresses;
    }
}
