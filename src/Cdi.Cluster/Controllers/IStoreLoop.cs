namespace Cdi.Cluster.Controllers;

/// <summary>
/// What an in-process control loop decides: which keys a change of any stored object concerns, and how to bring one
/// key's objects to their desired state (reading the store, which is always current here). Level-based: the key is
/// all a reconcile is told.
/// </summary>
internal interface IStoreLoop<TKey> where TKey : notnull
{
    string Name { get; }

    IEnumerable<TKey> KeysOf(StoredObject changed);

    void Reconcile(TKey key);
}
