using System.Net;

namespace Cdi.Importer.Core.Network;

/// <summary>
/// The SSRF guard: which addresses an import may connect to, unless they fall in one of the <see cref="Allowed"/>
/// networks. <see cref="NetworkGuard.CloudMetadata"/> (an importer pod's default, as upstream reaches private
/// registries and in-cluster servers) refuses only the link-local range where clouds serve instance metadata and
/// credentials; <see cref="NetworkGuard.PrivateNetworks"/> refuses every loopback, link-local, private, carrier-grade
/// NAT, unique local, multicast, reserved or unspecified address.
/// </summary>
public sealed record NetworkAddressPolicy(NetworkGuard Guard, IReadOnlyList<IPNetwork> Allowed)
{
    private static readonly (IPNetwork Network, string Kind)[] CloudMetadata =
    [
        (IPNetwork.Parse("169.254.169.254/32"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "cloud metadata"),
    ];

    private static readonly (IPNetwork Network, string Kind)[] Denied =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT"),
        (IPNetwork.Parse("169.254.169.254/32"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fc00::/7"), "unique local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    /// <summary>Everything allowed: a user importing on their own machine.</summary>
    public static NetworkAddressPolicy AllowAll { get; } = new(NetworkGuard.Off, []);

    /// <summary>Private ranges denied except the <paramref name="allowed"/> CIDRs (CDIConfig's strict guard).</summary>
    public static NetworkAddressPolicy DenyPrivate(IEnumerable<IPNetwork> allowed) => new(NetworkGuard.PrivateNetworks, [.. allowed]);

    /// <summary>Only cloud metadata addresses denied, except the <paramref name="allowed"/> CIDRs (an importer pod's default).</summary>
    public static NetworkAddressPolicy DenyCloudMetadata(IEnumerable<IPNetwork> allowed) => new(NetworkGuard.CloudMetadata, [.. allowed]);

    /// <summary>Parses CIDRs such as <c>127.0.0.0/8</c> or <c>fd00::/8</c>; a bare address is one host.</summary>
    public static IPNetwork ParseNetwork(string text)
    {
        var t = text.Trim();
        if (IPNetwork.TryParse(t, out var network))
        {
            return network;
        }
        if (IPAddress.TryParse(t, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        throw new FormatException($"\"{text}\" is not a network in CIDR notation such as 10.0.0.0/8");
    }

    /// <summary>Null when <paramref name="address"/> may be reached, else the kind of range that denies it.</summary>
    public string? DenialKind(IPAddress address)
    {
        if (Guard == NetworkGuard.Off)
        {
            return null;
        }
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var allowed in Allowed)
        {
            if (allowed.Contains(a))
            {
                return null;
            }
        }
        foreach (var (network, kind) in Guard == NetworkGuard.PrivateNetworks ? Denied.Concat(CloudMetadata) : CloudMetadata)
        {
            if (network.Contains(a))
            {
                return kind;
            }
        }
        return null;
    }
}
