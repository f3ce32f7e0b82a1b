using Cdi.Kube.Models;

namespace Cdi.Kube.Informers;

/// <summary>A thread-safe cache of objects keyed "namespace/name", with optional secondary indexes.</summary>
public sealed class InformerStore<T> where T : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indexes = new(StringComparer.Ordinal);

    public int Count { get { lock (_gate) return _items.Count; } }

    /// <summary>Adds an index; <paramref name="indexFunc"/> gives the index values an object is found under.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexFunc)
    {
        lock (_gate)
        {
            _indexers.Add(name, indexFunc);
            var index = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            _indexes.Add(name, index);
            foreach (var (key, item) in _items) AddToIndex(index, indexFunc, key, item);
        }
    }

    public T? Get(string key)
    {
        lock (_gate) return _items.GetValueOrDefault(key);
    }

    public T? Get(string? @namespace, string name) => Get(string.IsNullOrEmpty(@namespace) ? name : $"{@namespace}/{name}");

    public IReadOnlyList<T> List()
    {
        lock (_gate) return [.. _items.Values];
    }

    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_gate)
        {
            return _indexes[indexName].TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <summary>Stores the object; returns the one it replaced, if any.</summary>
    internal T? Upsert(T item)
    {
        var key = ObjectMetaAccessor.Key(item);
        lock (_gate)
        {
            var old = _items.GetValueOrDefault(key);
            if (old is not null) RemoveFromIndexes(key, old);
            _items[key] = item;
            foreach (var (name, func) in _indexers) AddToIndex(_indexes[name], func, key, item);
            return old;
        }
    }

    internal T? Remove(T item)
    {
        var key = ObjectMetaAccessor.Key(item);
        lock (_gate)
        {
            if (!_items.Remove(key, out var old)) return null;
            RemoveFromIndexes(key, old);
            return old;
        }
    }

    private void RemoveFromIndexes(string key, T item)
    {
        foreach (var (name, func) in _indexers)
        {
            foreach (var value in func(item))
            {
                if (_indexes[name].TryGetValue(value, out var keys)) keys.Remove(key);
            }
        }
    }

    private static void AddToIndex(Dictionary<string, HashSet<string>> index, Func<T, IEnumerable<string>> func, string key, T item)
    {
        foreach (var value in func(item))
        {
            if (!index.TryGetValue(value, out var keys)) index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            keys.Add(key);
        }
    }
}
