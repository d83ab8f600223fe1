namespace SeriesPlatform.Domain;

/// <summary>Moves the edition's dates (items stay where they are, so they must still fit).</summary>
public sealed record RescheduleEdition(DateOnly StartDate, DateOnly EndDate) : ICommand<EditionState>
{
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        if (StartDate == default) v.Add("startDate", "is required");
        else v.Date("startDate", StartDate);
        if (EndDate == default) v.Add("endDate", "is required");
        else v.Date("endDate", EndDate);
        if (EndDate < StartDate) v.Add("endDate", "must not be before startDate");
        v.EditionLength(StartDate, EndDate);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(EditionState state, DateTimeOffset now)
    {
        state.EnsureOpenForChanges();
        if (state.StartDate == StartDate && state.EndDate == EndDate) return [];
        var from = StartDate.ToDateTime(TimeOnly.MinValue);
        var to = EndDate.AddDays(1).ToDateTime(TimeOnly.MinValue);
        foreach (var i in state.Items.Values.Where(i => !i.Cancelled && i.Day is not null))
        {
            var start = i.StartLocal ?? i.Day!.Value.ToDateTime(TimeOnly.MinValue);
            var end = i.EndUtc is { } e ? WallClock.ToLocal(e, state.TimeZone) : start;
            if (start < from || start >= to || end > to)
                throw new RuleViolation("items-outside-dates",
                    $"'{i.Title ?? i.Kind.ToString()}' ({i.Id}) on {start:yyyy-MM-dd} would fall outside the new dates.");
        }
        return [new EditionRescheduled(StartDate, EndDate, StartDate.Year)];
    }
}
