namespace SeriesPlatform.Domain;

/// <summary>
/// Plans an edition. Dates may be exact, a year only, or verbatim text only, because that is all
/// some sources give ("2017, Northeastern, Boston"; "September 23 to 25" without a year).
/// Disagreeing sources are kept side by side in <see cref="AlternativeDates"/>.
/// </summary>
public sealed record PlanEdition(
    Guid EditionId, string SeriesSlug, string Title,
    DateOnly? StartDate, DateOnly? EndDate, int? Year, string? DatesAsStated, IReadOnlyList<DateClaim>? AlternativeDates,
    string TimeZone, Venue? Venue, EditionFormat Format, int? Capacity = null, string? VirtualMeetingUrl = null,
    int? Number = null, string? Description = null, IReadOnlyList<Link>? Links = null, string? CodeOfConduct = null,
    IReadOnlyList<EditionPart>? Parts = null, TimeOnly? DailyStart = null, TimeOnly? DailyEnd = null,
    string? DatesWithoutYear = null, IReadOnlyList<string>? Notes = null,
    bool TitleStated = true, bool TimeZoneStated = true, bool FormatStated = true)
    : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        v.Id("editionId", EditionId);
        if (!CreateSeries.IsSlug(SeriesSlug)) v.Add("seriesSlug", "must be a lowercase slug (a-z, 0-9, dashes), at most 64 characters");
        v.Required("title", Title, Validator.MaxTitle);
        ValidateDates(v, StartDate, EndDate, Year, DatesAsStated, AlternativeDates);
        v.TimeZone("timeZone", TimeZone);
        if (Venue is not null)
        {
            // Sources often give only a city ("Valencia, Spain"): any one part is enough.
            if (string.IsNullOrWhiteSpace(Venue.Name) && string.IsNullOrWhiteSpace(Venue.City) && string.IsNullOrWhiteSpace(Venue.Country))
                v.Add("venue.name", "give at least one of name, city, country");
            v.Text("venue.name", Venue.Name, Validator.MaxTitle);
            v.Text("venue.city", Venue.City, Validator.MaxName);
            v.Text("venue.country", Venue.Country, Validator.MaxName);
        }
        v.Enum("format", Format);
        v.Capacity("capacity", Capacity);
        v.Url("virtualMeetingUrl", VirtualMeetingUrl);
        if (Number is < 1) v.Add("number", "must be positive");
        v.Text("description", Description, Validator.MaxLongText);
        v.Links("links", Links);
        v.Text("codeOfConduct", CodeOfConduct, Validator.MaxLongText);
        if (v.ListSize("parts", Parts))
            for (var i = 0; i < Parts!.Count; i++)
            {
                var p = Parts[i];
                if (p is null) { v.Add($"parts[{i}]", "is required"); continue; }
                v.Required($"parts[{i}].label", p.Label, Validator.MaxTitle);
                if (p.EndDate < p.StartDate) v.Add($"parts[{i}].endDate", "must not be before startDate");
                if (StartDate is { } s && EndDate is { } e && (p.StartDate < s || p.EndDate > e))
                    v.Add($"parts[{i}]", "must lie within the edition's dates");
            }
        if ((DailyStart is null) != (DailyEnd is null)) v.Add("dailyEnd", "dailyStart and dailyEnd go together");
        if (DailyStart is { } ds && DailyEnd is { } de && de <= ds) v.Add("dailyEnd", "must be after dailyStart");
        v.Text("datesWithoutYear", DatesWithoutYear, Validator.MaxName);
        if (v.ListSize("notes", Notes))
            for (var i = 0; i < Notes!.Count; i++) v.Required($"notes[{i}]", Notes[i], Validator.MaxLongText);
        return v.Result;
    }

    internal static void ValidateDates(Validator v, DateOnly? start, DateOnly? end, int? year, string? asStated, IReadOnlyList<DateClaim>? alternatives)
    {
        if ((start is null) != (end is null)) v.Add(start is null ? "startDate" : "endDate", "startDate and endDate go together");
        v.Date("startDate", start);
        v.Date("endDate", end);
        if (start is { } s && end is { } e && e < s) v.Add("endDate", "must not be before startDate");
        v.EditionLength(start, end);
        if (year < Validator.MinDate.Year || year > Validator.MaxDate.Year)
            v.Add("year", $"must be a plausible year ({Validator.MinDate.Year}-{Validator.MaxDate.Year})");
        if (year is { } y && start is { } s2 && s2.Year != y) v.Add("year", "must be the year of startDate");
        v.Text("datesAsStated", asStated, Validator.MaxTitle);
        if (start is null && year is null && string.IsNullOrWhiteSpace(asStated))
            v.Add("startDate", "give at least one of startDate, year, datesAsStated");
        if (!v.ListSize("alternativeDates", alternatives)) return;
        for (var i = 0; i < alternatives!.Count; i++)
        {
            var c = alternatives[i];
            if (c is null) { v.Add($"alternativeDates[{i}]", "is required"); continue; }
            v.Date($"alternativeDates[{i}].startDate", c.StartDate);
            v.Date($"alternativeDates[{i}].endDate", c.EndDate);
            if (c.EndDate < c.StartDate) v.Add($"alternativeDates[{i}].endDate", "must not be before startDate");
            v.Text($"alternativeDates[{i}].source", c.Source, Validator.MaxTitle);
            v.Text($"alternativeDates[{i}].quote", c.Quote, Validator.MaxLongText);
        }
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        if (state.Exists) throw new RuleViolation("already-exists", $"Edition {EditionId} already exists.", "editionId");
        // The year of known dates is a fact, not an invention: fill it in so year queries work.
        return [new EditionPlanned(EditionId, SeriesSlug, Title.Trim(), StartDate, EndDate, Year ?? StartDate?.Year,
            DatesAsStated, AlternativeDates ?? [], TimeZone, Venue, Format, Capacity, VirtualMeetingUrl,
            null, Number, Description, Links ?? [], CodeOfConduct, Parts ?? [], DailyStart, DailyEnd, DatesWithoutYear, Notes ?? [],
            TitleStated, TimeZoneStated, FormatStated)];
    }
}
