namespace Cdi.Kube.Watching;

/// <summary>One event of a watch. ERROR events are not delivered as events: the watch throws KubeApiException.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object) where T : class;
