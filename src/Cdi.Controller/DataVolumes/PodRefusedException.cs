namespace Cdi.Controller.DataVolumes;

/// <summary>The API server refused the importer pod (a quota, say): retried with backoff, shown on the DataVolume meanwhile.</summary>
public sealed class PodRefusedException(string message, Exception inner) : Exception(message, inner);
