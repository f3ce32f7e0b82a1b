using System.Buffers;
using System.Buffers.Binary;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats.Qcow2;

/// <summary>
/// qcow2 header and header-extension checks (docs/interop/qcow2.txt). Anything that makes qemu open another file — a backing
/// file or an external data file — is refused, as are encryption, unknown incompatible features and implausible geometry.
/// </summary>
internal static class Qcow2Inspector
{
    private const int HeaderReadSize = 512;
    private const int V2HeaderLength = 72;
    private const int V3MinHeaderLength = 104;
    private const int MinClusterBits = 9;
    private const int MaxClusterBits = 21;

    private const ulong IncompatibleDirty = 1 << 0;
    private const ulong IncompatibleCorrupt = 1 << 1;
    private const ulong IncompatibleDataFile = 1 << 2;
    private const ulong IncompatibleCompressionType = 1 << 3;
    private const ulong IncompatibleExtendedL2 = 1 << 4;
    private const ulong IncompatibleKnown = IncompatibleDirty | IncompatibleCorrupt | IncompatibleDataFile | IncompatibleCompressionType | IncompatibleExtendedL2;

    private const uint ExtensionEnd = 0;
    private const uint ExtensionBackingFormat = 0xE2792ACA;
    private const uint ExtensionFullDiskEncryption = 0x0537BE77;
    private const uint ExtensionDataFile = 0x44415441;

    // qemu's own ceilings (block/qcow2.h): 32 MiB of active L1 table, 8 MiB of refcount table, 65536 snapshots.
    private const long MaxL1Entries = 32L * 1024 * 1024 / 8;
    private const long MaxRefcountTableBytes = 8L * 1024 * 1024;
    private const uint MaxSnapshots = 65536;

    public static long Inspect(ImageReader reader)
    {
        Span<byte> header = stackalloc byte[HeaderReadSize];
        reader.Read(0, header);
        if (BinaryPrimitives.ReadUInt32BigEndian(header) != 0x514649FB)
        {
            throw Corrupt("qcow2 magic is missing");
        }

        uint version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (version is not (2 or 3))
        {
            throw new ImportException(ImportFailureReason.UnsupportedFormat, $"qcow2 version {version} is not supported");
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(header[8..]) != 0 || BinaryPrimitives.ReadUInt32BigEndian(header[16..]) != 0)
        {
            throw new ImportException(ImportFailureReason.BackingFileNotAllowed, "qcow2 backing file is not allowed");
        }

        uint clusterBits = BinaryPrimitives.ReadUInt32BigEndian(header[20..]);
        ulong size = BinaryPrimitives.ReadUInt64BigEndian(header[24..]);
        uint cryptMethod = BinaryPrimitives.ReadUInt32BigEndian(header[32..]);
        uint l1Size = BinaryPrimitives.ReadUInt32BigEndian(header[36..]);
        ulong l1Offset = BinaryPrimitives.ReadUInt64BigEndian(header[40..]);
        ulong refcountTableOffset = BinaryPrimitives.ReadUInt64BigEndian(header[48..]);
        uint refcountTableClusters = BinaryPrimitives.ReadUInt32BigEndian(header[56..]);
        uint snapshotCount = BinaryPrimitives.ReadUInt32BigEndian(header[60..]);
        ulong snapshotsOffset = BinaryPrimitives.ReadUInt64BigEndian(header[64..]);

        if (cryptMethod != 0)
        {
            throw new ImportException(ImportFailureReason.Encrypted, $"qcow2 encryption is not allowed (crypt_method {cryptMethod})");
        }

        ulong incompatible = 0;
        uint headerLength = V2HeaderLength;
        byte compressionType = 0;
        if (version == 3)
        {
            incompatible = BinaryPrimitives.ReadUInt64BigEndian(header[72..]);
            uint refcountOrder = BinaryPrimitives.ReadUInt32BigEndian(header[96..]);
            headerLength = BinaryPrimitives.ReadUInt32BigEndian(header[100..]);
            CheckIncompatibleFeatures(incompatible);
            if (refcountOrder > 6)
            {
                throw Corrupt($"qcow2 refcount order {refcountOrder} is invalid");
            }

            if (headerLength < V3MinHeaderLength || headerLength % 8 != 0)
            {
                throw Corrupt($"qcow2 header length {headerLength} is invalid");
            }

            if (headerLength > V3MinHeaderLength)
            {
                compressionType = header[104];
            }
        }

        if (clusterBits is < MinClusterBits or > MaxClusterBits)
        {
            throw Corrupt($"qcow2 cluster bits {clusterBits} outside {MinClusterBits}..{MaxClusterBits}");
        }

        long clusterSize = 1L << (int)clusterBits;
        if (headerLength > clusterSize)
        {
            throw Corrupt("qcow2 header is larger than a cluster");
        }

        if (compressionType > 1)
        {
            throw Corrupt($"qcow2 compression type {compressionType} is unknown");
        }

        if ((compressionType != 0) != ((incompatible & IncompatibleCompressionType) != 0))
        {
            throw Corrupt("qcow2 compression type and its incompatible feature bit disagree");
        }

        bool extendedL2 = (incompatible & IncompatibleExtendedL2) != 0;
        if (extendedL2 && clusterBits < 14)
        {
            throw Corrupt("qcow2 extended L2 entries need clusters of at least 16 KiB");
        }

        if (size > long.MaxValue)
        {
            throw Corrupt("qcow2 virtual size is out of range");
        }

        CheckL1(reader, size, clusterBits, extendedL2, l1Size, l1Offset, clusterSize);
        CheckRefcountTable(reader, refcountTableOffset, refcountTableClusters, clusterSize);
        if (snapshotCount > MaxSnapshots)
        {
            throw Corrupt($"qcow2 claims {snapshotCount} snapshots");
        }

        if (snapshotCount > 0 && (snapshotsOffset % (ulong)clusterSize != 0 || snapshotsOffset >= (ulong)reader.Length))
        {
            throw Corrupt("qcow2 snapshot table lies outside the file");
        }

        ScanExtensions(reader, headerLength, clusterSize);
        return (long)size;
    }

    private static void CheckIncompatibleFeatures(ulong incompatible)
    {
        if ((incompatible & IncompatibleDataFile) != 0)
        {
            throw new ImportException(ImportFailureReason.DataFileNotAllowed, "qcow2 external data file is not allowed");
        }

        ulong unknown = incompatible & ~IncompatibleKnown;
        if (unknown != 0)
        {
            throw new ImportException(ImportFailureReason.UnknownFeature, $"qcow2 unknown incompatible feature bits 0x{unknown:x}");
        }

        if ((incompatible & IncompatibleCorrupt) != 0)
        {
            throw Corrupt("qcow2 image is marked corrupt");
        }
    }

    // The active L1 table must cover the virtual size (too small and qemu refuses it). A larger one is legitimate — images
    // shrunk with `qemu-img resize --shrink` or carrying VM state keep theirs — so it is bounded instead: by qemu's own
    // ceiling and by the file, which must hold it (that is what stops CDI's "large memory" fixture: a few hundred bytes
    // claiming a huge table).
    private static void CheckL1(ImageReader reader, ulong size, uint clusterBits, bool extendedL2, uint l1Size, ulong l1Offset, long clusterSize)
    {
        int l2EntryBits = extendedL2 ? 4 : 3;
        int bytesPerL1EntryBits = (int)clusterBits + ((int)clusterBits - l2EntryBits);
        ulong needed = (size + (1UL << bytesPerL1EntryBits) - 1) >> bytesPerL1EntryBits;
        if (needed > MaxL1Entries)
        {
            throw Corrupt("qcow2 virtual size needs an L1 table larger than qemu allows");
        }

        if (l1Size < needed)
        {
            throw Corrupt($"qcow2 L1 table has {l1Size} entries, fewer than the {needed} the virtual size needs");
        }

        if (l1Size > MaxL1Entries)
        {
            throw Corrupt($"qcow2 L1 table has {l1Size} entries, more than qemu allows");
        }

        if (l1Size > 0 && (l1Offset % (ulong)clusterSize != 0 || l1Offset > long.MaxValue || !reader.Contains((long)l1Offset, l1Size * 8L)))
        {
            throw Corrupt("qcow2 L1 table lies outside the file");
        }
    }

    private static void CheckRefcountTable(ImageReader reader, ulong offset, uint clusters, long clusterSize)
    {
        if (clusters == 0 || clusters * clusterSize > MaxRefcountTableBytes)
        {
            throw Corrupt($"qcow2 refcount table size of {clusters} clusters is invalid");
        }

        if (offset % (ulong)clusterSize != 0 || offset >= (ulong)reader.Length)
        {
            throw Corrupt("qcow2 refcount table lies outside the file");
        }
    }

    // Header extensions live between the header and the end of the first cluster (qemu reads no further).
    private static void ScanExtensions(ImageReader reader, uint headerLength, long clusterSize)
    {
        long end = Math.Min(clusterSize, reader.Length);
        if (end <= headerLength)
        {
            return;
        }

        int length = (int)(end - headerLength);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var area = rented.AsSpan(0, length);
            reader.Read(headerLength, area);
            int p = 0;
            while (p < area.Length)
            {
                if (area.Length - p < 8)
                {
                    throw Corrupt("qcow2 header extensions run past the first cluster");
                }

                uint type = BinaryPrimitives.ReadUInt32BigEndian(area[p..]);
                uint dataLength = BinaryPrimitives.ReadUInt32BigEndian(area[(p + 4)..]);
                if (type == ExtensionEnd)
                {
                    return;
                }

                switch (type)
                {
                    case ExtensionBackingFormat:
                        throw new ImportException(ImportFailureReason.BackingFileNotAllowed, "qcow2 backing file is not allowed");
                    case ExtensionDataFile:
                        throw new ImportException(ImportFailureReason.DataFileNotAllowed, "qcow2 external data file is not allowed");
                    case ExtensionFullDiskEncryption:
                        throw new ImportException(ImportFailureReason.Encrypted, "qcow2 encryption is not allowed (encryption header present)");
                }

                long next = p + 8L + ((dataLength + 7L) & ~7L);
                if (next > area.Length)
                {
                    throw Corrupt("qcow2 header extension runs past the first cluster");
                }

                p = (int)next;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ImportException Corrupt(string message) => new(ImportFailureReason.CorruptImage, message);
}
