using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SeriesPlatform.Domain.Dataset;

internal enum Card { One, Optional, List, Required }

internal enum VType { Text, Line, Dates, Year, TimeRange, At, Zone, Url, Link, Person, Venue, Part, Integer, Orcid, IdRef, Enum }

internal sealed record FieldSpec(Card Card, VType Type, string[]? Values = null);

/// <summary>A dates value: full dates, or month-day pairs whose year is unknown (<c>--MM-DD</c>).</summary>
internal sealed record DatesValue(bool Partial, DateOnly? Start, DateOnly? End, string Raw);

/// <summary>An <c>at:</c> value: any of day, start, end may be missing (end only with start).</summary>
internal sealed record AtValue(DateOnly? Day, TimeOnly? Start, TimeOnly? End);

internal sealed record PartValue(DatesValue Dates, string Label);

internal sealed class RawField(string name, int line)
{
    public string Name { get; } = name;
    public int Line { get; } = line;
    public StringBuilder Text { get; } = new();
    public bool HasText { get; set; }
    public int? FirstContinuationLine { get; set; }
    public string Value => Text.ToString();
    public object? Parsed { get; set; }
    public bool Ok { get; set; }
}

internal sealed class RawRecord(string file, int line, string kind, string? id)
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Kind { get; } = kind;
    public string? Id { get; } = id;
    public List<RawField> Fields { get; } = [];
    /// <summary>Any format error in this record (header, field, value, context): no command is built from it.</summary>
    public bool Broken { get; set; }
    public RawRecord? Series { get; set; }
    public RawRecord? Edition { get; set; }
    public RawRecord? Posters { get; set; }

    public RawField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
    public IEnumerable<RawField> All(string name) => Fields.Where(f => f.Name == name);
    public T? Get<T>(string name) where T : class => Field(name)?.Parsed as T;
    public T? GetValue<T>(string name) where T : struct => Field(name)?.Parsed is T t ? t : null;
    public string? Str(string name) => Field(name)?.Parsed as string;
    public List<T> List<T>(string name) => [.. All(name).Select(f => f.Parsed).OfType<T>()];
}

/// <summary>Turns one <c>.series</c> file into records and checks everything that needs no other file.</summary>
internal static partial class DatasetReader
{
    public static readonly string[] Kinds = ["source", "series", "edition", "organizer", "talk", "break", "posters", "poster", "breakout", "claim"];
    private static readonly string[] IdRequired = ["source", "series", "edition"];

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldSpec>> Schema = BuildSchema();

    private static Dictionary<string, IReadOnlyDictionary<string, FieldSpec>> BuildSchema()
    {
        FieldSpec One(VType t, params string[] v) => new(Card.One, t, v.Length == 0 ? null : v);
        FieldSpec Opt(VType t, params string[] v) => new(Card.Optional, t, v.Length == 0 ? null : v);
        FieldSpec Many(VType t) => new(Card.List, t);
        var note = Many(VType.Text);
        var source = new FieldSpec(Card.Required, VType.IdRef);
        var s = new Dictionary<string, IReadOnlyDictionary<string, FieldSpec>>
        {
            ["source"] = new Dictionary<string, FieldSpec>
            {
                ["file"] = One(VType.Line), ["title"] = One(VType.Line), ["kind"] = Opt(VType.Line), ["url"] = Opt(VType.Url),
                ["contents"] = Opt(VType.Text), ["note"] = note,
            },
            ["series"] = new Dictionary<string, FieldSpec>
            {
                ["name"] = One(VType.Line), ["description"] = Opt(VType.Text), ["link"] = Many(VType.Link),
                ["code-of-conduct"] = Opt(VType.Text), ["note"] = note, ["source"] = source,
            },
            ["edition"] = new Dictionary<string, FieldSpec>
            {
                ["title"] = Opt(VType.Line), ["number"] = Opt(VType.Integer), ["dates"] = Opt(VType.Dates), ["year"] = Opt(VType.Year),
                ["dates-as-stated"] = new(Card.Required, VType.Line), ["hours"] = Opt(VType.TimeRange), ["part"] = Many(VType.Part),
                ["zone"] = Opt(VType.Zone), ["venue"] = Opt(VType.Venue), ["format"] = Opt(VType.Enum, "in-person", "virtual", "hybrid"),
                ["meeting-url"] = Opt(VType.Url), ["description"] = Opt(VType.Text), ["link"] = Many(VType.Link),
                ["code-of-conduct"] = Opt(VType.Text), ["note"] = note, ["source"] = source,
            },
            ["organizer"] = new Dictionary<string, FieldSpec>
            {
                ["name"] = One(VType.Line), ["affiliation"] = Opt(VType.Line), ["orcid"] = Opt(VType.Orcid), ["note"] = note, ["source"] = source,
            },
            ["talk"] = new Dictionary<string, FieldSpec>
            {
                ["at"] = Opt(VType.At), ["date-as-stated"] = Opt(VType.Line),
                ["kind"] = Opt(VType.Enum, "invited", "contributed", "keynote", "remarks", "panel", "discussion", "hackathon", "lightning", "other"),
                ["label"] = Opt(VType.Line), ["title"] = Opt(VType.Line), ["details"] = Opt(VType.Enum, "to come"),
                ["speaker"] = Many(VType.Person), ["bio"] = Many(VType.Text), ["abstract"] = Opt(VType.Text), ["description"] = Opt(VType.Text),
                ["room"] = Opt(VType.Line), ["link"] = Many(VType.Link), ["note"] = note, ["source"] = source,
            },
            ["break"] = new Dictionary<string, FieldSpec>
            {
                ["at"] = Opt(VType.At), ["kind"] = One(VType.Enum, "coffee", "lunch", "breakfast", "dinner", "reception", "other"),
                ["label"] = Opt(VType.Line), ["room"] = Opt(VType.Line), ["note"] = note, ["source"] = source,
            },
            ["posters"] = new Dictionary<string, FieldSpec>
            {
                ["at"] = Opt(VType.At), ["title"] = Opt(VType.Line), ["signup"] = Opt(VType.Link), ["description"] = Opt(VType.Text),
                ["room"] = Opt(VType.Line), ["note"] = note, ["source"] = source,
            },
            ["poster"] = new Dictionary<string, FieldSpec>
            {
                ["title"] = One(VType.Line), ["presenter"] = Many(VType.Person), ["abstract"] = Opt(VType.Text), ["award"] = Opt(VType.Line),
                ["link"] = Many(VType.Link), ["note"] = note, ["source"] = source,
            },
            ["breakout"] = new Dictionary<string, FieldSpec>
            {
                ["title"] = One(VType.Line), ["at"] = Opt(VType.At), ["date-as-stated"] = Opt(VType.Line), ["topic"] = Many(VType.Line),
                ["facilitator"] = Many(VType.Person), ["link"] = Many(VType.Link), ["description"] = Opt(VType.Text), ["room"] = Opt(VType.Line),
                ["note"] = note, ["source"] = source,
            },
            ["claim"] = new Dictionary<string, FieldSpec>
            {
                ["dates"] = Opt(VType.Dates), ["hours"] = Opt(VType.TimeRange), ["venue"] = Opt(VType.Venue), ["quote"] = One(VType.Text),
                ["note"] = note, ["source"] = source,
            },
        };
        return s;
    }

    public static List<RawRecord> Read(string file, string text, List<DatasetError> errors)
    {
        var records = new List<RawRecord>();
        void Error(int line, string message) => errors.Add(new DatasetError(file, line, message));

        if (text.Length > 0 && text[0] == '\uFEFF') { Error(1, "byte-order mark not allowed"); text = text[1..]; }
        if (text.Contains('\uFFFD')) Error(LineOf(text, text.IndexOf('\uFFFD')), "invalid UTF-8");
        var lines = text.Split('\n');
        if (text.Length > 0 && !text.EndsWith('\n')) Error(lines.Length, "file does not end with a newline");
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;

        RawRecord? current = null;   // null after a blank line or at the start
        RawField? field = null;      // the field a continuation line continues
        for (var i = 0; i < count; i++)
        {
            var n = i + 1;
            var line = lines[i];
            if (line.Contains('\r')) { Error(n, "carriage return not allowed"); line = line.Replace("\r", ""); }
            if (line.StartsWith('#')) continue;
            line = line.TrimEnd(' ', '\t');
            if (line.Length == 0) { current = null; field = null; continue; }

            if (line[0] == '[')
            {
                field = null;
                current = Header(file, n, line, Error);
                if (current is not null) records.Add(current);
                else current = new RawRecord(file, n, "?", null) { Broken = true }; // swallow its fields
                continue;
            }
            if (line.StartsWith("  ", StringComparison.Ordinal))
            {
                if (field is null || current is null) { Error(n, "continuation without a field"); continue; }
                var content = line[2..];
                if (content.All(c => c == '.')) content = content[1..];
                if (field.HasText) field.Text.Append('\n');
                field.Text.Append(content);
                field.HasText = true;
                field.FirstContinuationLine ??= n;
                continue;
            }
            if (line[0] is >= 'a' and <= 'z')
            {
                var m = FieldLine().Match(line);
                if (!m.Success) { Error(n, "malformed field line (expected \"name: value\")"); field = null; continue; }
                if (current is null) { Error(n, "field outside a record"); field = null; continue; }
                field = new RawField(m.Groups[1].Value, n);
                var value = m.Groups[2].Value.Trim(' ', '\t');
                if (value.Length > 0) { field.Text.Append(value); field.HasText = true; }
                current.Fields.Add(field);
                continue;
            }
            Error(n, "unrecognised line");
        }

        foreach (var r in records) CheckFields(r, Error);
        return records;
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    private static RawRecord? Header(string file, int n, string line, Action<int, string> error)
    {
        var m = HeaderLine().Match(line);
        if (!m.Success) { error(n, "malformed header"); return null; }
        var kind = m.Groups[1].Value;
        var id = m.Groups[2].Success ? m.Groups[2].Value : null;
        if (!Kinds.Contains(kind)) { error(n, $"unknown record kind \"{kind}\""); return null; }
        var record = new RawRecord(file, n, kind, id);
        if (id is null && IdRequired.Contains(kind)) { error(n, $"[{kind}] requires an id"); record.Broken = true; }
        if (id is not null && !IdPattern().IsMatch(id)) { error(n, $"invalid id \"{id}\""); record.Broken = true; }
        return record;
    }

    private static void CheckFields(RawRecord r, Action<int, string> error)
    {
        var schema = Schema[r.Kind];
        void Fail(int line, string message) { error(line, message); r.Broken = true; }
        var seen = new HashSet<string>();
        foreach (var f in r.Fields)
        {
            if (!schema.TryGetValue(f.Name, out var spec)) { Fail(f.Line, $"unknown field \"{f.Name}\" in [{r.Kind}]"); continue; }
            if (!seen.Add(f.Name) && spec.Card is Card.One or Card.Optional)
            {
                Fail(f.Line, $"field \"{f.Name}\" may appear only once in [{r.Kind}]");
                continue;
            }
            if (!f.HasText || f.Value.Length == 0) { Fail(f.Line, $"empty value for \"{f.Name}\""); continue; }
            if (spec.Type != VType.Text && f.FirstContinuationLine is { } cl) { Fail(cl, $"\"{f.Name}\" must be a single line"); continue; }
            var (parsed, message) = ParseValue(f.Value, spec);
            if (message is not null) { Fail(f.Line, message); continue; }
            f.Parsed = parsed;
            f.Ok = true;
        }
        foreach (var (name, spec) in schema)
            if (spec.Card is Card.One or Card.Required && !r.Fields.Any(f => f.Name == name))
                Fail(r.Line, $"missing required field \"{name}\" in [{r.Kind}]");
    }

    // ------------------------------------------------------------------ values

    internal static (object? Value, string? Error) ParseValue(string v, FieldSpec spec)
    {
        switch (spec.Type)
        {
            case VType.Text:
            case VType.Line:
                return (v, null);
            case VType.IdRef:
                return IdPattern().IsMatch(v) ? (v, null) : (null, $"invalid id \"{v}\"");
            case VType.Enum:
                return spec.Values!.Contains(v) ? (v, null) : (null, $"\"{v}\" is not one of {string.Join(", ", spec.Values!)}");
            case VType.Integer:
                return IntegerPattern().IsMatch(v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                    ? (i, null) : (null, $"invalid integer \"{v}\"");
            case VType.Year:
                return YearPattern().IsMatch(v) && int.Parse(v, CultureInfo.InvariantCulture) is >= 1 and var y
                    ? (y, null) : (null, $"invalid year \"{v}\"");
            case VType.Orcid:
                return OrcidPattern().IsMatch(v) ? (v, null) : (null, $"invalid orcid \"{v}\"");
            case VType.Url:
                return IsUrl(v) ? (v, null) : (null, $"invalid url \"{v}\"");
            case VType.Zone:
                return IsZone(v) ? (v, null) : (null, $"unknown time zone \"{v}\"");
            case VType.Dates:
                return ParseDates(v) is { } d ? (d, null) : (null, $"invalid dates \"{v}\"");
            case VType.TimeRange:
                return ParseTimeRange(v) is { } tr ? (tr, null) : (null, $"invalid time range \"{v}\"");
            case VType.At:
                return ParseAt(v) is { } at ? (at, null) : (null, $"invalid at \"{v}\"");
            case VType.Link:
            {
                var parts = SplitParts(v);
                if (parts.Count is < 1 or > 2) return (null, "link needs 1 or 2 parts");
                var url = parts[^1];
                if (!IsUrl(url)) return (null, $"invalid url \"{url}\"");
                var label = parts.Count == 2 ? parts[0] : "";
                return (new Link(label.Length == 0 ? url : label, url), null);
            }
            case VType.Person:
            {
                var parts = SplitParts(v);
                if (parts.Count is < 1 or > 2) return (null, "person needs 1 or 2 parts");
                if (parts[0].Length == 0) return (null, "person needs a name");
                return (new SpeakerRef(parts[0], parts.Count == 2 && parts[1].Length > 0 ? parts[1] : null), null);
            }
            case VType.Venue:
            {
                var parts = SplitParts(v);
                if (parts.Count != 3) return (null, "venue needs 3 parts separated by \"|\"");
                if (parts.All(p => p.Length == 0)) return (null, "venue needs at least one non-empty part");
                return (new Venue(parts[0], parts[1].Length == 0 ? null : parts[1], parts[2].Length == 0 ? null : parts[2]), null);
            }
            case VType.Part:
            {
                var parts = SplitParts(v);
                if (parts.Count != 2) return (null, "part needs 2 parts separated by \"|\"");
                if (ParseDates(parts[0]) is not { } pd) return (null, $"invalid dates \"{parts[0]}\"");
                if (parts[1].Length == 0) return (null, "part needs a label");
                return (new PartValue(pd, parts[1]), null);
            }
            default:
                return (null, "unsupported value type");
        }
    }

    /// <summary>Splits at every <c>|</c> not preceded by a backslash; <c>\|</c> and <c>\\</c> are escapes.</summary>
    internal static List<string> SplitParts(string v)
    {
        var parts = new List<string>();
        var sb = new StringBuilder();
        for (var i = 0; i < v.Length; i++)
        {
            var c = v[i];
            if (c == '\\' && i + 1 < v.Length && v[i + 1] is '|' or '\\') { sb.Append(v[++i]); continue; }
            if (c == '|') { parts.Add(sb.ToString().Trim(' ', '\t')); sb.Clear(); continue; }
            sb.Append(c);
        }
        parts.Add(sb.ToString().Trim(' ', '\t'));
        return parts;
    }

    internal static bool IsUrl(string v) =>
        !v.Any(char.IsWhiteSpace) && Uri.TryCreate(v, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
        && (v.StartsWith("http://", StringComparison.Ordinal) || v.StartsWith("https://", StringComparison.Ordinal));

    /// <summary>IANA names only: abbreviations such as EST or PST (which some tz databases carry) are refused.</summary>
    internal static bool IsZone(string v) =>
        (v.Contains('/') || v == "UTC") && TimeZoneInfo.TryFindSystemTimeZoneById(v, out var tz) && tz.HasIanaId;

    internal static DateOnly? ParseDate(string v) =>
        DatePattern().IsMatch(v) && DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>A month-day of an unknown year; checked against a leap year so that --02-29 is allowed.</summary>
    private static (int Month, int Day)? ParseMonthDay(string v)
    {
        var m = MonthDayPattern().Match(v);
        if (!m.Success) return null;
        var (month, day) = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2000, month) ? (month, day) : null;
    }

    internal static DatesValue? ParseDates(string v)
    {
        var ends = v.Split(" .. ");
        if (ends.Length is < 1 or > 2) return null;
        if (ends.All(e => e.StartsWith("--", StringComparison.Ordinal)))
        {
            var mds = ends.Select(ParseMonthDay).ToList();
            if (mds.Any(x => x is null)) return null;
            if (mds.Count == 2 && mds[1]!.Value.CompareTo(mds[0]!.Value) < 0) return null;
            return new DatesValue(true, null, null, v);
        }
        var ds = ends.Select(ParseDate).ToList();
        if (ds.Any(x => x is null)) return null;
        var start = ds[0]!.Value;
        var end = ds[^1]!.Value;
        return end < start ? null : new DatesValue(false, start, end, v);
    }

    internal static TimeOnly? ParseTime(string v) =>
        TimePattern().IsMatch(v) && TimeOnly.TryParseExact(v, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    internal static (TimeOnly Start, TimeOnly End)? ParseTimeRange(string v)
    {
        var p = v.Split('-');
        if (p.Length != 2 || ParseTime(p[0]) is not { } s || ParseTime(p[1]) is not { } e || e <= s) return null;
        return (s, e);
    }

    internal static AtValue? ParseAt(string v)
    {
        var words = v.Split(' ');
        if (words.Length > 2) return null;
        DateOnly? day = null;
        var rest = words[^1];
        if (words.Length == 2 || DatePattern().IsMatch(words[0]))
        {
            if (ParseDate(words[0]) is not { } d) return null;
            day = d;
            if (words.Length == 1) return new AtValue(day, null, null);
            rest = words[1];
        }
        if (rest.Contains('-'))
            return ParseTimeRange(rest) is { } r ? new AtValue(day, r.Start, r.End) : null;
        return ParseTime(rest) is { } t ? new AtValue(day, t, null) : null;
    }

    [GeneratedRegex(@"^\[([^\s\[\]]+)(?: ([^\s\[\]]+))?\]$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^([a-z][a-z0-9-]*):(?:[ \t](.*))?$")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")]
    internal static partial Regex IdPattern();

    [GeneratedRegex(@"^[1-9][0-9]*$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[0-9]{4}$")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$")]
    private static partial Regex OrcidPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^--([0-9]{2})-([0-9]{2})$")]
    private static partial Regex MonthDayPattern();

    [GeneratedRegex(@"^[0-9]{2}:[0-9]{2}$")]
    private static partial Regex TimePattern();
}
