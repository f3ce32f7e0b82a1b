namespace Cdi.Controller.DataVolumes;

/// <summary>An event to record on the DataVolume: type Normal or Warning, upstream's reasons.</summary>
public sealed record PlannedEvent(string Type, string Reason, string Message);
