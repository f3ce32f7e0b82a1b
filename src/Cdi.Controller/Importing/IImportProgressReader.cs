using Cdi.Api.Contracts;
using Cdi.Kube.Models;

namespace Cdi.Controller.Importing;

/// <summary>Reads a running importer pod's progress; null when the pod does not (yet) say.</summary>
public interface IImportProgressReader
{
    ValueTask<ImportProgress?> ReadAsync(Pod pod, CancellationToken cancellationToken);
}
