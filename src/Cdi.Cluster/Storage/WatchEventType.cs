namespace Cdi.Cluster.Storage;

internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}
