namespace FriendConnect.Web.Realtime;

/// <summary>
/// A list shown from the database and kept current by live events, keyed by id. An event that lands while a reload is
/// running is applied on top of that reload's result, and one that landed before the reload began is left to the
/// database's answer: a reload racing an event never shows an item twice, drops one, or brings back a removed one.
/// </summary>
public sealed class LiveList<T, TKey>(Func<T, TKey> keyOf, Comparison<T> order) where TKey : notnull
{
    private readonly List<(long Seq, T Item)> _arrived = [];
    private readonly List<(long Seq, TKey Key)> _gone = [];
    private long _seq;
    private List<T>? _items;

    /// <summary>Null until the first load.</summary>
    public IReadOnlyList<T>? Items => _items;

    /// <summary>Call before querying the database; pass the mark to <see cref="Load"/> with the query's result.</summary>
    public long Mark() => ++_seq;

    public void Load(long mark, IEnumerable<T> fromDatabase)
    {
        // Whatever happened before the query began is in its result (events are published after commit).
        _arrived.RemoveAll(a => a.Seq < mark);
        _gone.RemoveAll(g => g.Seq < mark);
        _items = Merge(fromDatabase);
    }

    /// <summary>An older page, below the items already shown.</summary>
    public void Append(IEnumerable<T> olderPage) => _items = Merge((_items ?? []).Concat(olderPage));

    public void Add(T item)
    {
        _arrived.Add((++_seq, item));
        if (_items is not null) _items = Merge(_items);
    }

    public void Remove(TKey key)
    {
        _gone.Add((++_seq, key));
        _arrived.RemoveAll(a => EqualityComparer<TKey>.Default.Equals(keyOf(a.Item), key));
        _items?.RemoveAll(i => EqualityComparer<TKey>.Default.Equals(keyOf(i), key));
    }

    private List<T> Merge(IEnumerable<T> items)
    {
        var gone = _gone.Select(g => g.Key).ToHashSet();
        var merged = items.Concat(_arrived.Select(a => a.Item))
            .DistinctBy(keyOf)
            .Where(i => !gone.Contains(keyOf(i)))
            .ToList();
        merged.Sort(order);
        return merged;
    }
}
