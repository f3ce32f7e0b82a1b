using System.Net;

namespace Cdi.Importer.Core.Network;

/// <summary>
/// An HTTP proxy with curl's <c>no_proxy</c> rules: <c>*</c> bypasses everything; <c>example.com</c> or
/// <c>.example.com</c> bypasses that host and its subdomains; an address or CIDR bypasses matching literal hosts.
/// </summary>
public sealed class ImportProxy : IWebProxy
{
    private readonly string[] _noProxyHosts;
    private readonly IPNetwork[] _noProxyNetworks;
    private readonly bool _bypassAll;

    public ImportProxy(Uri address, string? noProxy)
    {
        if (address.Scheme is not ("http" or "https") || string.IsNullOrEmpty(address.Host))
        {
            throw new FormatException($"proxy \"{address}\" must be an http:// or https:// URL");
        }
        Address = address;
        if (address.UserInfo.Length > 0)
        {
            // http://user:password@proxy:3128, as curl and the usual variables allow.
            var parts = address.UserInfo.Split(':', 2);
            Credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }
        var hosts = new List<string>();
        var networks = new List<IPNetwork>();
        foreach (var raw in (noProxy ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw == "*")
            {
                _bypassAll = true;
            }
            else if (IPNetwork.TryParse(raw, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(raw, out var ip))
            {
                networks.Add(NetworkAddressPolicy.ParseNetwork(ip.ToString()));
            }
            else
            {
                // A port suffix (host:port) is accepted and ignored, as most tools do.
                var host = raw.TrimStart('*').TrimStart('.');
                var colon = host.LastIndexOf(':');
                hosts.Add((colon > 0 ? host[..colon] : host).ToLowerInvariant());
            }
        }
        _noProxyHosts = [.. hosts];
        _noProxyNetworks = [.. networks];
    }

    public Uri Address { get; }

    public ICredentials? Credentials { get; set; }

    public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : Address;

    public bool IsBypassed(Uri host)
    {
        if (_bypassAll)
        {
            return true;
        }
        var name = host.IdnHost.Trim('[', ']').ToLowerInvariant();
        if (IPAddress.TryParse(name, out var ip))
        {
            return _noProxyNetworks.Any(n => n.Contains(ip)) || _noProxyHosts.Contains(name);
        }
        return _noProxyHosts.Any(h => name == h || name.EndsWith("." + h, StringComparison.Ordinal));
    }

    /// <summary>True when <paramref name="host"/>:<paramref name="port"/> is this proxy itself.</summary>
    public bool IsProxyEndpoint(string host, int port) =>
        port == Address.Port && string.Equals(host.Trim('[', ']'), Address.IdnHost.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
}
