using Cdi.Api.Contracts;
using Cdi.Kube.Models;

namespace Cdi.Controller.Importing;

/// <summary>Reads no progress: the status keeps its last value until a reader that asks the importer is plugged in.</summary>
public sealed class NoImportProgress : IImportProgressReader
{
    public static NoImportProgress Instance { get; } = new();

    public ValueTask<ImportProgress?> ReadAsync(Pod pod, CancellationToken cancellationToken) => ValueTask.FromResult<ImportProgress?>(null);
}
