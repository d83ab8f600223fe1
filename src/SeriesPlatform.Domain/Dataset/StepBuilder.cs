namespace SeriesPlatform.Domain.Dataset;

/// <summary>Turns checked records into domain commands, one or more steps per record.</summary>
internal sealed class StepBuilder(
    Dictionary<string, RawRecord> sources, Dictionary<RawRecord, string> keys, List<RawRecord> records,
    List<DatasetError> errors, List<DatasetStep> steps)
{
    private static bool Dead(RawRecord? r) => r is not null && (r.Broken || Dead(r.Series) || Dead(r.Edition) || Dead(r.Posters));

    private Guid Entity(RawRecord r) => DatasetIds.From(keys[r]);

    private static Guid EditionGuid(RawRecord edition) => DatasetIds.Edition(edition.Id!);

    private void Add(RawRecord r, string stream, object command, string? kindSuffix = null)
    {
        var sourceId = r.List<string>("source").FirstOrDefault() ?? "";
        var sourceFile = sources.TryGetValue(sourceId, out var s) ? s.Str("file") : null;
        var stepId = DatasetIds.From($"step:{keys[r]}:{command.GetType().Name}{kindSuffix}");
        steps.Add(new DatasetStep(stepId, stream, command, sourceId, sourceFile, r.File, r.Line));
    }

    public void Build(RawRecord r)
    {
        if (Dead(r)) return;
        switch (r.Kind)
        {
            case "series": Series(r); break;
            case "edition": Edition(r); break;
            case "organizer": Organizer(r); break;
            case "talk": Talk(r); break;
            case "break": Break(r); break;
            case "posters": Posters(r); break;
            case "poster": Poster(r); break;
            case "breakout": Breakout(r); break;
            // [source] becomes DatasetPlan.Sources; [claim] is folded into its edition's PlanEdition.
        }
    }

    private static string? Text(RawRecord r, string name) => r.Str(name);

    private void Series(RawRecord r)
    {
        var stream = DatasetIds.SeriesStream(r.Id!);
        Add(r, stream, new CreateSeries(r.Id!, Text(r, "name")!, Text(r, "description")));
        var links = r.List<Link>("link");
        var coc = Text(r, "code-of-conduct");
        if (links.Count > 0 || coc is not null)
            Add(r, stream, new ReviseSeries(Links: links.Count > 0 ? links : null, CodeOfConduct: coc));
    }

    private void Edition(RawRecord r)
    {
        var id = EditionGuid(r);
        var dates = r.Get<DatesValue>("dates");
        var year = r.GetValue<int>("year");
        var zone = Text(r, "zone");
        var format = Text(r, "format");
        var hours = r.GetValue<(TimeOnly Start, TimeOnly End)>("hours");
        var title = Text(r, "title");
        var derivedTitle = r.Series!.Str("name") + (year ?? dates?.Start?.Year) switch { { } y => $" {y}", null => "" };
        var claims = records
            .Where(c => c.Kind == "claim" && c.Edition == r && !c.Broken && c.Get<DatesValue>("dates") is { Partial: false })
            .Select(c =>
            {
                var d = c.Get<DatesValue>("dates")!;
                return new DateClaim(d.Start!.Value, d.End!.Value, string.Join(", ", c.List<string>("source")), Text(c, "quote"));
            }).ToList();
        var links = r.List<Link>("link");
        var parts = r.List<PartValue>("part").Select(p => new EditionPart(p.Dates.Start!.Value, p.Dates.End!.Value, p.Label)).ToList();
        var notes = r.List<string>("note");
        Add(r, DatasetIds.EditionStream(id), new PlanEdition(
            id, r.Series!.Id!, title ?? derivedTitle,
            dates is { Partial: false } ? dates.Start : null, dates is { Partial: false } ? dates.End : null, year,
            string.Join("\n", r.List<string>("dates-as-stated")), claims.Count > 0 ? claims : null,
            zone ?? "UTC", r.Get<Venue>("venue"),
            format switch { "virtual" => EditionFormat.Virtual, "hybrid" => EditionFormat.Hybrid, _ => EditionFormat.InPerson },
            null, Text(r, "meeting-url"),
            Number: r.GetValue<int>("number"), Description: Text(r, "description"), Links: links.Count > 0 ? links : null,
            CodeOfConduct: Text(r, "code-of-conduct"), Parts: parts.Count > 0 ? parts : null,
            DailyStart: hours?.Start, DailyEnd: hours?.End, DatesWithoutYear: dates is { Partial: true } ? dates.Raw : null,
            Notes: notes.Count > 0 ? notes : null,
            TitleStated: title is not null, TimeZoneStated: zone is not null, FormatStated: format is not null));
    }

    private void Organizer(RawRecord r)
    {
        var (name, affiliation, orcid) = (Text(r, "name")!, Text(r, "affiliation"), Text(r, "orcid"));
        if (r.Edition is { } e) Add(r, DatasetIds.EditionStream(EditionGuid(e)), new AddEditionOrganizer(name, affiliation, orcid));
        else Add(r, DatasetIds.SeriesStream(r.Series!.Id!), new AddOrganizer(name, affiliation, orcid));
    }

    private sealed record SlotParts(DateOnly? Day, DateTime? StartLocal, int? Duration, TimeOnly? TimeOfDay, TimeOnly? EndTimeOfDay);

    private static SlotParts Slot(RawRecord r)
    {
        if (r.Get<AtValue>("at") is not { } at) return new SlotParts(null, null, null, null, null);
        int? minutes = at.Start is { } s && at.End is { } e ? (int)(e - s).TotalMinutes : null;
        if (at.Day is { } day)
            return at.Start is { } start
                ? new SlotParts(day, day.ToDateTime(start, DateTimeKind.Unspecified), minutes, null, null)
                : new SlotParts(day, null, null, null, null);
        return new SlotParts(null, null, null, at.Start, at.End);
    }

    private void Talk(RawRecord r)
    {
        // Each bio belongs to the nearest speaker above it (checked by the parser).
        var speakers = new List<SpeakerRef>();
        foreach (var f in r.Fields)
        {
            if (f.Name == "speaker" && f.Parsed is SpeakerRef s) speakers.Add(s);
            else if (f.Name == "bio" && f.Parsed is string bio && speakers.Count > 0) speakers[^1] = speakers[^1] with { Bio = bio };
        }
        var slot = Slot(r);
        var kind = Text(r, "kind") is { } k ? Enum.Parse<TalkKind>(k, ignoreCase: true) : TalkKind.Other;
        var links = r.List<Link>("link");
        Add(r, DatasetIds.EditionStream(EditionGuid(r.Edition!)), new ScheduleTalk(
            Entity(r), Text(r, "title"), Text(r, "abstract"), speakers, slot.Day, slot.StartLocal, slot.Duration, Text(r, "room"), kind,
            Text(r, "label"), Text(r, "description"), links.Count > 0 ? links : null, Text(r, "date-as-stated"),
            slot.TimeOfDay, slot.EndTimeOfDay));
    }

    private void Break(RawRecord r)
    {
        var slot = Slot(r);
        Add(r, DatasetIds.EditionStream(EditionGuid(r.Edition!)), new ScheduleBreak(
            Entity(r), Enum.Parse<BreakKind>(Text(r, "kind")!, ignoreCase: true), Text(r, "label"),
            slot.Day, slot.StartLocal, slot.Duration, Text(r, "room")));
    }

    private void Posters(RawRecord r)
    {
        var slot = Slot(r);
        var signup = r.Get<Link>("signup");
        Add(r, DatasetIds.EditionStream(EditionGuid(r.Edition!)), new SchedulePosterSession(
            Entity(r), Text(r, "title"), slot.Day, slot.StartLocal, slot.Duration, Text(r, "room"), signup?.Url,
            Text(r, "description"), signup is not null && signup.Label != signup.Url ? signup.Label : null));
    }

    private void Poster(RawRecord r)
    {
        var stream = DatasetIds.EditionStream(EditionGuid(r.Edition!));
        var id = Entity(r);
        var links = r.List<Link>("link");
        Add(r, stream, new SubmitPoster(id, Entity(r.Posters!), Text(r, "title")!, r.List<SpeakerRef>("presenter"),
            Text(r, "abstract"), links.Count > 0 ? links : null));
        if (Text(r, "award") is { } award) Add(r, stream, new AwardPosterPrize(id, award));
    }

    private void Breakout(RawRecord r)
    {
        var facilitators = r.List<SpeakerRef>("facilitator");
        if (facilitators.Count > 1)
        {
            var second = r.All("facilitator").Skip(1).First();
            errors.Add(new DatasetError(r.File, second.Line, "a [breakout] with several facilitators cannot be imported (the domain keeps one)"));
            return;
        }
        var slot = Slot(r);
        var links = r.List<Link>("link");
        var topics = r.List<string>("topic");
        Add(r, DatasetIds.EditionStream(EditionGuid(r.Edition!)), new OpenBreakout(
            Entity(r), Text(r, "title")!, facilitators.FirstOrDefault(), null, links.Count > 0 ? links : null,
            slot.StartLocal, slot.Duration, topics.Count > 0 ? topics : null, Text(r, "description"), Text(r, "date-as-stated"),
            Text(r, "room")));
    }
}
