using System.Buffers;
using System.Formats.Tar;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Archive;

/// <summary>
/// Unpacks a tar into a staging folder inside the target, accepting only regular files and directories with plain
/// relative names, then moves the result into place. Links, devices, FIFOs, absolute and <c>..</c> paths fail the
/// import: we never ask "is this link safe?", we refuse links.
/// </summary>
public sealed class TarExtractor : IDisposable
{
    private readonly string _target;
    private readonly string _staging;
    private readonly long _capacity;
    private long _written;
    private bool _committed;

    public TarExtractor(string target, long capacity)
    {
        _target = Path.GetFullPath(target);
        _capacity = capacity;
        _staging = Path.Combine(_target, $".cdi-archive-{Guid.NewGuid():N}");
    }

    public long BytesWritten => Volatile.Read(ref _written);

    public async Task ExtractAsync(Stream tar, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_staging);
        using var reader = new TarReader(tar, leaveOpen: true);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            TarEntry? entry;
            var entries = 0;
            while ((entry = await ReadEntryAsync(reader, cancellationToken).ConfigureAwait(false)) is not null)
            {
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
                {
                    continue;
                }
                entries++;
                var relative = SafeRelativePath(entry.Name);
                var path = Path.Combine(_staging, relative);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(path);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        await WriteFileAsync(entry, path, buffer, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        ImportException.Throw(ImportFailureReason.ArchiveEntryNotAllowed,
                            $"archive entry \"{entry.Name}\" is {Describe(entry.EntryType)}: only regular files and directories are allowed");
                        break;
                }
            }
            if (entries == 0)
            {
                ImportException.Throw(ImportFailureReason.CorruptImage, "archive holds no entries (is it a tar?)");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the unpacked tree into the target, replacing files of the same name.</summary>
    public void Commit()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(_staging))
        {
            MoveInto(entry, Path.Combine(_target, Path.GetFileName(entry)));
        }
        Directory.Delete(_staging, recursive: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(_staging))
        {
            Directory.Delete(_staging, recursive: true);
        }
    }

    private static async Task<TarEntry?> ReadEntryAsync(TarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ImportException(ImportFailureReason.CorruptImage, $"archive is not a valid tar: {e.Message}", e);
        }
    }

    private async Task WriteFileAsync(TarEntry entry, string path, byte[] buffer, CancellationToken cancellationToken)
    {
        var mode = (UnixFileMode)((int)entry.Mode & 0x1FF) | UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            BufferSize = 0,
            UnixCreateMode = mode,
        });
        if (entry.DataStream is not { } data)
        {
            return;
        }
        int n;
        while ((n = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (Interlocked.Add(ref _written, n) > _capacity)
            {
                ImportException.Throw(ImportFailureReason.ImageTooLarge, $"archive contents are larger than available {_capacity}");
            }
            await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }
    }

    internal static string SafeRelativePath(string name)
    {
        var trimmed = name.Replace('\\', '/');
        if (trimmed.StartsWith('/') || trimmed.Contains('\0', StringComparison.Ordinal))
        {
            ImportException.Throw(ImportFailureReason.ArchiveEntryNotAllowed, $"archive entry \"{name}\" has an absolute path");
        }
        var parts = trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Any(p => p == ".."))
        {
            ImportException.Throw(ImportFailureReason.ArchiveEntryNotAllowed, $"archive entry \"{name}\" climbs out of the volume with \"..\"");
        }
        if (parts.Length == 0)
        {
            return ".";
        }
        return Path.Combine(parts);
    }

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.SymbolicLink => "a symbolic link",
        TarEntryType.HardLink => "a hard link",
        TarEntryType.CharacterDevice => "a character device",
        TarEntryType.BlockDevice => "a block device",
        TarEntryType.Fifo => "a FIFO",
        _ => $"of type {type}",
    };

    private static void MoveInto(string from, string to)
    {
        if (Directory.Exists(from))
        {
            if (File.Exists(to))
            {
                File.Delete(to);
            }
            if (!Directory.Exists(to))
            {
                Directory.Move(from, to);
                return;
            }
            foreach (var child in Directory.EnumerateFileSystemEntries(from))
            {
                MoveInto(child, Path.Combine(to, Path.GetFileName(child)));
            }
            return;
        }
        if (Directory.Exists(to))
        {
            Directory.Delete(to, recursive: true);
        }
        File.Move(from, to, overwrite: true);
    }
}
