namespace Cdi.Importer.Core.Network;

/// <summary>How much of the address space an import is kept away from (see <see cref="NetworkAddressPolicy"/>).</summary>
public enum NetworkGuard
{
    /// <summary>Nothing denied: a user importing on their own machine (<c>cdi import</c> without a flag).</summary>
    Off,

    /// <summary>Cloud metadata (169.254.0.0/16, fd00:ec2::254) denied: an importer pod's default.</summary>
    CloudMetadata,

    /// <summary>Every private, loopback, link-local and reserved range denied (CDIConfig <c>denyPrivateNetworks</c>).</summary>
    PrivateNetworks,
}
