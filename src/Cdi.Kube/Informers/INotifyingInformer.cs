namespace Cdi.Kube.Informers;

/// <summary>
/// An informer that says what changed: what a <see cref="Runtime.Controller{TKey}"/> watches. The API informer
/// (<see cref="Informer{T}"/>) is one; the local cluster's in-process controllers watch its store through another.
/// </summary>
public interface INotifyingInformer<out T> : IInformer where T : class
{
    event Action<T>? Added;

    /// <summary>(old, new).</summary>
    event Action<T, T>? Updated;

    event Action<T>? Deleted;
}
