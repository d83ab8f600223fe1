namespace SeriesPlatform.Domain.Dataset;

/// <summary>
/// Reads the <c>.series</c> files of a data set (docs/data-format.md) into an import plan: domain commands per stream,
/// in execution order, with deterministic ids. Every format error and every domain rejection is reported at its
/// file and line; the plan is to be executed only when <see cref="DatasetPlan.Ok"/>.
/// </summary>
public static class DatasetParser
{
    /// <summary>The clock used when the plan is folded to check the domain rules (no command here depends on it).</summary>
    public static readonly DateTimeOffset FoldNow = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DatasetPlan Parse(IEnumerable<(string FileName, string Text)> files)
    {
        var errors = new List<DatasetError>();
        var records = new List<RawRecord>();
        foreach (var (name, text) in files.OrderBy(f => f.FileName, StringComparer.Ordinal))
        {
            var fileRecords = DatasetReader.Read(name, text, errors);
            AssignContext(fileRecords, errors);
            records.AddRange(fileRecords);
        }

        var sources = CheckIds(records, errors);
        foreach (var r in records) CheckRecord(r, sources, errors);
        var keys = RecordKeys(records);
        var steps = new List<DatasetStep>();
        var builder = new StepBuilder(sources, keys, records, errors, steps);
        foreach (var r in records) builder.Build(r);
        Fold(steps, errors);

        var sorted = errors
            .Select((e, i) => (e, i))
            .OrderBy(x => x.e.File, StringComparer.Ordinal).ThenBy(x => x.e.Line).ThenBy(x => x.i)
            .Select(x => x.e).ToList();
        var sourceMap = sources.ToDictionary(kv => kv.Key, kv =>
            new DatasetSource(kv.Key, kv.Value.Str("file") ?? "", kv.Value.Str("title"), kv.Value.Str("kind"), kv.Value.Str("url")));
        return new DatasetPlan(steps, sorted, sourceMap);
    }

    // ------------------------------------------------------------------ context (§4)

    private static void AssignContext(List<RawRecord> records, List<DatasetError> errors)
    {
        RawRecord? series = null, edition = null, posters = null;
        void Fail(RawRecord r, string message) { errors.Add(new DatasetError(r.File, r.Line, message)); r.Broken = true; }
        foreach (var r in records)
        {
            switch (r.Kind)
            {
                case "series":
                    (series, edition, posters) = (r, null, null);
                    break;
                case "edition":
                    if (series is null) Fail(r, "[edition] outside a series");
                    r.Series = series;
                    (edition, posters) = (r, null);
                    break;
                case "organizer":
                    if (edition is not null) r.Edition = edition;
                    else if (series is not null) r.Series = series;
                    else Fail(r, "[organizer] outside a series or edition");
                    break;
                case "talk" or "break" or "posters" or "breakout" or "claim":
                    if (edition is null) { Fail(r, $"[{r.Kind}] outside an edition"); break; }
                    r.Edition = edition;
                    if (r.Kind == "posters") posters = r;
                    break;
                case "poster":
                    if (posters is null) { Fail(r, "[poster] without a [posters] session"); break; }
                    (r.Edition, r.Posters) = (edition, posters);
                    break;
            }
        }
    }

    // ------------------------------------------------------------------ whole-data-set rules (§7)

    private static Dictionary<string, RawRecord> CheckIds(List<RawRecord> records, List<DatasetError> errors)
    {
        var byId = new Dictionary<string, RawRecord>(StringComparer.Ordinal);
        var sources = new Dictionary<string, RawRecord>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (r.Id is null) continue;
            if (byId.TryGetValue(r.Id, out var first))
            {
                errors.Add(new DatasetError(r.File, r.Line, $"duplicate id \"{r.Id}\" (first defined at {first.File}:{first.Line})"));
                r.Broken = true;
                continue;
            }
            byId[r.Id] = r;
            if (r.Kind == "source" && !r.Broken) sources[r.Id] = r;
        }
        return sources;
    }

    private static void CheckRecord(RawRecord r, Dictionary<string, RawRecord> sources, List<DatasetError> errors)
    {
        void Fail(int line, string message) { errors.Add(new DatasetError(r.File, line, message)); r.Broken = true; }

        foreach (var f in r.All("source"))
            if (f.Parsed is string id && !sources.ContainsKey(id)) Fail(f.Line, $"unknown source \"{id}\"");

        switch (r.Kind)
        {
            case "edition":
            {
                var dates = r.Get<DatesValue>("dates");
                if (r.Field("year") is { } y && r.Field("dates") is not null) Fail(y.Line, "year and dates are exclusive");
                if (r.Field("hours") is { } h && r.Field("zone") is null) Fail(h.Line, "edition has times but no zone");
                foreach (var f in r.All("part"))
                {
                    if (f.Parsed is not PartValue p) continue;
                    if (p.Dates.Partial || dates is null || dates.Partial)
                        Fail(f.Line, "part needs full dates and an edition with full dates");
                    else if (p.Dates.Start < dates.Start || p.Dates.End > dates.End)
                        Fail(f.Line, $"part {p.Dates.Raw} is outside the edition's dates {dates.Raw}");
                }
                break;
            }
            case "talk":
            {
                SpeakerBios(r, Fail);
                if (new[] { "title", "speaker", "label", "details" }.All(n => r.Field(n) is null))
                    Fail(r.Line, "a talk needs at least one of title, speaker, label, details");
                if (r.Field("title") is not null && r.Field("details") is { } d) Fail(d.Line, "title and details: to come are exclusive");
                break;
            }
            case "claim":
                if (new[] { "dates", "hours", "venue" }.All(n => r.Field(n) is null))
                    Fail(r.Line, "a claim needs at least one of dates, hours, venue");
                // The domain keeps competing statements as alternative dates only: refuse what it would drop.
                else if (r.Get<DatesValue>("dates") is not { Partial: false })
                    Fail(r.Line, "only claims with full dates can be imported (the domain keeps alternative dates, not hours or venues)");
                else if (r.Field("hours") is not null || r.Field("venue") is not null)
                    Fail(r.Line, "a claim with hours or a venue cannot be imported (the domain keeps alternative dates only)");
                break;
        }

        if (r.Field("at") is { Parsed: AtValue at } atField && r.Edition is { } e) CheckAt(r, atField, at, e, Fail);
    }

    private static void SpeakerBios(RawRecord r, Action<int, string> fail)
    {
        RawField? speaker = null;
        var claimed = new HashSet<RawField>();
        foreach (var f in r.Fields)
        {
            if (f.Name == "speaker") speaker = f;
            else if (f.Name == "bio")
            {
                if (speaker is null || !claimed.Add(speaker)) fail(f.Line, "bio without a speaker");
            }
        }
    }

    private static void CheckAt(RawRecord r, RawField f, AtValue at, RawRecord edition, Action<int, string> fail)
    {
        if (at.Start is not null && edition.Field("zone") is null) fail(f.Line, "edition has times but no zone");
        if (at.Day is null && at.Start is not null && r.Kind != "talk")
            fail(f.Line, $"a time without a day is supported only on [talk], not on [{r.Kind}]");
        if (r.Kind == "breakout" && at.Day is not null && at.Start is null)
            fail(f.Line, "a [breakout] at needs a time as well as a day");
        if (at.Day is not { } day) return;
        if (edition.Get<DatesValue>("dates") is { } dates)
        {
            if (dates.Partial) fail(f.Line, $"at {day:yyyy-MM-dd} has a full date but the edition's dates {dates.Raw} have no year");
            else if (day < dates.Start || day > dates.End) fail(f.Line, $"at {day:yyyy-MM-dd} is outside the edition's dates {dates.Raw}");
        }
        else if (edition.GetValue<int>("year") is { } year && day.Year != year)
            fail(f.Line, $"at {day:yyyy-MM-dd} is outside the edition's year {year}");
    }

    // ------------------------------------------------------------------ identity

    /// <summary>
    /// A file-independent identity per record: its own id when it has one, else its parent's id and its ordinal among
    /// the parent's records of the same family (organizers; agenda items; posters; breakouts; claims).
    /// </summary>
    private static Dictionary<RawRecord, string> RecordKeys(List<RawRecord> records)
    {
        var keys = new Dictionary<RawRecord, string>();
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        string Next(string family, string parent)
        {
            var k = family + ":" + parent;
            counters[k] = counters.GetValueOrDefault(k) + 1;
            return $"{k}:{counters[k]}";
        }
        foreach (var r in records)
        {
            var parent = r.Edition is { } e ? "edition:" + e.Id : r.Series is { } s ? "series:" + s.Id : "?";
            var family = r.Kind switch
            {
                "talk" or "break" or "posters" => "item",
                _ => r.Kind,
            };
            keys[r] = r.Kind is "source" or "series" or "edition" && r.Id is not null ? $"{r.Kind}:{r.Id}"
                : r.Id is not null ? $"{family}:{r.Id}"
                : Next(family, parent);
        }
        return keys;
    }

    // ------------------------------------------------------------------ folding (domain rules)

    private static void Fold(List<DatasetStep> steps, List<DatasetError> errors)
    {
        var series = new Dictionary<string, SeriesState>(StringComparer.Ordinal);
        var editions = new Dictionary<string, EditionState>(StringComparer.Ordinal);
        var dead = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (dead.Contains(step.StreamId)) continue;
            var creates = step.Command is CreateSeries or PlanEdition;
            void Fail(string message)
            {
                errors.Add(new DatasetError(step.File, step.Line, message));
                if (creates) dead.Add(step.StreamId);
            }
            try
            {
                switch (step.Command)
                {
                    case ICommand<SeriesState> c:
                        if (Invalid(c.Validate(), step.Command, Fail)) continue;
                        var s = series.TryGetValue(step.StreamId, out var ss) ? ss : series[step.StreamId] = new SeriesState();
                        foreach (var e in c.Decide(s, FoldNow)) s.Evolve(e);
                        break;
                    case ICommand<EditionState> c:
                        if (Invalid(c.Validate(), step.Command, Fail)) continue;
                        var ed = editions.TryGetValue(step.StreamId, out var es) ? es : editions[step.StreamId] = new EditionState();
                        foreach (var e in c.Decide(ed, FoldNow)) ed.Evolve(e);
                        break;
                }
            }
            catch (RuleViolation ex) { Fail($"{step.Command.GetType().Name} rejected ({ex.Code}): {ex.Message}"); }
            catch (EntityNotFound ex) { Fail($"{step.Command.GetType().Name} rejected: {ex.Message}"); }
        }
    }

    private static bool Invalid(IReadOnlyDictionary<string, string[]> result, object command, Action<string> fail)
    {
        foreach (var (field, messages) in result.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            fail($"{command.GetType().Name}: {field} {string.Join("; ", messages)}");
        return result.Count > 0;
    }
}
