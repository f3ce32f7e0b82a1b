namespace Cdi.Importer.Core.Targets;

/// <summary>Where the raw disk goes. Writes land in <see cref="WritePath"/>; nothing counts as imported until <see cref="Commit"/>.</summary>
public interface IDiskTarget : IDisposable
{
    /// <summary>The most bytes the raw disk may have.</summary>
    long Capacity { get; }

    /// <summary>The file or device the data is written to (for converters that write by path).</summary>
    string WritePath { get; }

    /// <summary>Block targets already exist and keep their size; converters must not create or truncate them.</summary>
    bool IsBlockDevice { get; }

    /// <summary>
    /// The target takes O_DIRECT writes, so a converter we run (qemu-img) can bypass the page cache: its own writeback
    /// is unbounded, and an importer pod's memory cgroup fills with dirty pages (upstream's OOM kills).
    /// </summary>
    bool SupportsDirectIo { get; }

    /// <summary>The final location, for messages and results.</summary>
    string FinalPath { get; }

    SparseWriter Writer { get; }

    /// <summary>Readies <see cref="WritePath"/> for a converter that writes into an existing file of the image's size.</summary>
    void PrepareForConverter(long virtualSize);

    /// <summary>Grows the file to the capacity (Filesystem), allocates when asked, makes it durable and moves it into place.</summary>
    void Commit(bool preallocate);

    /// <summary>Undoes everything a failed import left behind.</summary>
    void Abort();
}
