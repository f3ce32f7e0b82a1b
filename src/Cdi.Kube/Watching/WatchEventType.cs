namespace Cdi.Kube.Watching;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    /// <summary>Carries only a newer resourceVersion, so a resumed watch starts later.</summary>
    Bookmark,
}
