using System.Text.RegularExpressions;

namespace SeriesPlatform.Domain;

/// <summary>Collects input-shape errors keyed by camelCase field path; commands return <see cref="Result"/>.</summary>
public sealed partial class Validator
{
    /// <summary>Sealed personal data: base64 of AES-GCM over at most a few hundred characters.</summary>
    public const int MaxSealed = 4096;
    public const int MaxTitle = 300, MaxLongText = 10_000, MaxName = 200, MaxEmail = 254,
        MaxUrl = 2_000, MaxList = 50, MaxCapacity = 100_000, MaxDuration = 1_440;

    private readonly Dictionary<string, List<string>> _errors = new();

    public IReadOnlyDictionary<string, string[]> Result =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public void Required(string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "is required");
        else Text(field, value, max);
    }

    /// <summary>Optional text: length and no control characters (\n and \t are fine).</summary>
    public void Text(string field, string? value, int max)
    {
        if (value is null) return;
        if (value.Length > max) Add(field, $"must be at most {max} characters");
        if (value.Any(c => char.IsControl(c) && c != '\n' && c != '\t')) Add(field, "must not contain control characters");
    }

    public void Url(string field, string? value)
    {
        if (value is null) return;
        if (value.Length > MaxUrl || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            Add(field, "must be an absolute http(s) URL");
    }

    public void Email(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) { Add(field, "is required"); return; }
        var v = value.Trim();
        if (v.Length > MaxEmail || !EmailPattern().IsMatch(v)) Add(field, "must be an email address");
    }

    public void Orcid(string field, string? value)
    {
        if (value is null) return;
        if (!OrcidPattern().IsMatch(value) || !OrcidChecksumOk(value)) Add(field, "must be an ORCID iD like 0000-0002-1825-0097");
    }

    /// <summary>
    /// Dates from the year 1000 to 9998: room for any workshop's history, and clear of the ends of the
    /// calendar, where a day or a zone's offset added to a date no longer fits (on 9999-12-31 the
    /// agenda, exports and next-edition planning failed with a 500).
    /// </summary>
    public static readonly DateOnly MinDate = new(1000, 1, 1), MaxDate = new(9998, 12, 31);

    /// <summary>An edition lasts days or weeks; a year is the most we take (its calendar spans every day's zone rules).</summary>
    public const int MaxEditionDays = 366;

    public void EditionLength(DateOnly? start, DateOnly? end)
    {
        if (start is { } s && end is { } e && e.DayNumber - s.DayNumber >= MaxEditionDays)
            Add("endDate", $"an edition lasts at most {MaxEditionDays} days");
    }

    public static bool InRange(DateOnly date) => date >= MinDate && date <= MaxDate;

    public void Date(string field, DateOnly? date)
    {
        if (date is { } d && !InRange(d)) Add(field, $"must be between {MinDate:yyyy-MM-dd} and {MaxDate:yyyy-MM-dd}");
    }

    public void Duration(string field, int? minutes)
    {
        if (minutes is < 1 or > MaxDuration) Add(field, $"must be between 1 and {MaxDuration} minutes");
    }

    public void Capacity(string field, int? capacity)
    {
        if (capacity is < 0 or > MaxCapacity) Add(field, $"must be between 0 and {MaxCapacity}");
    }

    public void TimeZone(string field, string? zone)
    {
        if (string.IsNullOrWhiteSpace(zone)) Add(field, "is required");
        // Windows ids resolve too on some hosts; the contract is IANA (Europe/Rome, Asia/Tokyo ...).
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var tz) || !tz.HasIanaId) Add(field, "must be a known IANA time zone");
    }

    public void Id(string field, Guid id)
    {
        if (id == Guid.Empty) Add(field, "is required");
    }

    public void Enum<T>(string field, T value) where T : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value)) Add(field, "has an unknown value");
    }

    public bool ListSize<T>(string field, IReadOnlyCollection<T>? list)
    {
        if (list is null) return false;
        if (list.Count > MaxList) { Add(field, $"must have at most {MaxList} entries"); return false; }
        return true;
    }

    public void Speaker(string field, SpeakerRef? s)
    {
        if (s is null) { Add(field, "is required"); return; }
        Required($"{field}.name", s.Name, MaxName);
        Text($"{field}.affiliation", s.Affiliation, MaxTitle);
        Orcid($"{field}.orcid", s.Orcid);
        Text($"{field}.bio", s.Bio, MaxLongText);
    }

    public void Speakers(string field, IReadOnlyList<SpeakerRef>? list)
    {
        if (!ListSize(field, list)) return;
        for (var i = 0; i < list!.Count; i++) Speaker($"{field}[{i}]", list[i]);
    }

    public void Links(string field, IReadOnlyList<Link>? list)
    {
        if (!ListSize(field, list)) return;
        for (var i = 0; i < list!.Count; i++)
        {
            if (list[i] is null) { Add($"{field}[{i}]", "is required"); continue; }
            Required($"{field}[{i}].label", list[i].Label, MaxName);
            if (list[i].Url is null) Add($"{field}[{i}].url", "is required");
            Url($"{field}[{i}].url", list[i].Url);
        }
    }

    /// <summary>
    /// Wall-clock time in the edition's zone: a value parsed with "Z" or an offset (Kind Utc/Local)
    /// would silently mean something else, so it is refused.
    /// </summary>
    public void LocalTime(string field, DateTime? value)
    {
        if (value is { Kind: not DateTimeKind.Unspecified }) Add(field, "must be a local wall-clock time without offset");
    }

    /// <summary>A slot: duration needs a start, and a given day must match the start's date.</summary>
    public void Slot(DateOnly? day, DateTime? startLocal, int? durationMinutes)
    {
        LocalTime("startLocal", startLocal);
        if (durationMinutes is not null && startLocal is null) Add("durationMinutes", "requires startLocal");
        Duration("durationMinutes", durationMinutes);
        if (day is not null && startLocal is not null && DateOnly.FromDateTime(startLocal.Value) != day)
            Add("day", "must be the date of startLocal");
    }

    // ISO 7064 MOD 11-2, the ORCID check digit.
    private static bool OrcidChecksumOk(string orcid)
    {
        var digits = orcid.Replace("-", "");
        var total = 0;
        for (var i = 0; i < 15; i++) total = (total + (digits[i] - '0')) * 2;
        var check = (12 - total % 11) % 11;
        return digits[15] == (check == 10 ? 'X' : (char)('0' + check));
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")]
    private static partial Regex OrcidPattern();
}
