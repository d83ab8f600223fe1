using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SeriesPlatform.EventStore;

/// <summary>
/// A position in the global log: the writing transaction's id and the event's position. The log is
/// read in (tx_id, position) order, so the pair is totally ordered and never moves backwards.
/// Clients see it as an opaque string.
/// </summary>
public readonly record struct GlobalCursor(ulong TxId, long Position) : IComparable<GlobalCursor>
{
    public static readonly GlobalCursor Start = new(0, 0);

    public int CompareTo(GlobalCursor other) =>
        TxId != other.TxId ? TxId.CompareTo(other.TxId) : Position.CompareTo(other.Position);

    public static bool operator <(GlobalCursor a, GlobalCursor b) => a.CompareTo(b) < 0;
    public static bool operator >(GlobalCursor a, GlobalCursor b) => a.CompareTo(b) > 0;
    public static bool operator <=(GlobalCursor a, GlobalCursor b) => a.CompareTo(b) <= 0;
    public static bool operator >=(GlobalCursor a, GlobalCursor b) => a.CompareTo(b) >= 0;

    public override string ToString() =>
        TxId.ToString("x", CultureInfo.InvariantCulture) + "-" + Position.ToString("x", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, [NotNullWhen(true)] out GlobalCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var dash = text.IndexOf('-');
        if (dash <= 0 || dash == text.Length - 1 || text.Length > 40) return false;
        if (!ulong.TryParse(text.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tx)) return false;
        if (!long.TryParse(text.AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var pos) || pos < 0) return false;
        cursor = new GlobalCursor(tx, pos);
        return true;
    }
}
