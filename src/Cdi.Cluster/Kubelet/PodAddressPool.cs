using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Gives every running pod of the local node its own loopback address as <c>status.podIP</c> (127.1.0.1 to
/// 127.254.255.254; all of 127.0.0.0/8 reaches the host on Linux), so pods, which are processes on one host, can each
/// listen on the same fixed port, as pods on a real cluster do. A pod keeps the address its status already has when
/// it is free (a node restart does not move it); otherwise the address derives from its UID, probing past taken ones.
/// One pool per node run: nothing outlives the node.
/// </summary>
internal sealed class PodAddressPool
{
    // Second octet 1..254, third 0..255, fourth 1..254: 127.0.x.x (127.0.0.1 is the host's) and .0/.255 stay out.
    private const int Count = 254 * 256 * 254;

    private readonly HashSet<uint> _taken = [];
    private readonly Lock _gate = new();

    public string Allocate(string? uid, string? previous)
    {
        lock (_gate)
        {
            if (TryIndex(previous, out var kept) && _taken.Add(kept))
            {
                return Format(kept);
            }
            var start = Hash(uid ?? Guid.NewGuid().ToString());
            for (var i = 0u; i < Count; i++)
            {
                var index = (start + i) % Count;
                if (_taken.Add(index))
                {
                    return Format(index);
                }
            }
            throw new InvalidOperationException("no loopback address left for another pod");
        }
    }

    public void Release(string address)
    {
        lock (_gate)
        {
            if (TryIndex(address, out var index))
            {
                _taken.Remove(index);
            }
        }
    }

    public static bool IsPodAddress(string? address) => TryIndex(address, out _);

    private static uint Hash(string uid) => BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(uid))) % Count;

    private static string Format(uint index)
    {
        var b = 1 + (index / (256 * 254));
        var c = index / 254 % 256;
        var d = 1 + (index % 254);
        return $"127.{b}.{c}.{d}";
    }

    private static bool TryIndex(string? address, out uint index)
    {
        index = 0;
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }
        var bytes = ip.GetAddressBytes();
        if (bytes[0] != 127 || bytes[1] is 0 or 255 || bytes[3] is 0 or 255 || Format(Index(bytes)) != address)
        {
            return false;
        }
        index = Index(bytes);
        return true;
    }

    private static uint Index(byte[] b) => ((uint)(b[1] - 1) * 256 * 254) + ((uint)b[2] * 254) + (uint)(b[3] - 1);
}
