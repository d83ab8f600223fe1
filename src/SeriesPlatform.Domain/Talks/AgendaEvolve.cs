namespace SeriesPlatform.Domain;

/// <summary>How agenda events change the edition.</summary>
public sealed partial class EditionState
{
    private void Apply(TalkScheduled e) => Items[e.TalkId] = new AgendaItem
    {
        Id = e.TalkId, Kind = AgendaItemKind.Talk, TalkKind = e.Kind, Title = e.Title, Abstract = e.Abstract,
        Speakers = [.. e.Speakers], Day = e.Day, StartLocal = e.StartLocal, DurationMinutes = e.DurationMinutes,
        Room = e.Room, StartUtc = e.StartUtc, EndUtc = e.EndUtc, Order = e.Order,
        Label = e.Label, Description = e.Description, Links = [.. e.Links ?? []], DateAsStated = e.DateAsStated,
        StartTimeOfDay = e.StartTimeOfDay, EndTimeOfDay = e.EndTimeOfDay,
    };

    private void Apply(BreakScheduled e) => Items[e.ItemId] = new AgendaItem
    {
        Id = e.ItemId, Kind = AgendaItemKind.Break, BreakKind = e.Kind, Title = e.Label,
        Day = e.Day, StartLocal = e.StartLocal, DurationMinutes = e.DurationMinutes,
        Room = e.Room, StartUtc = e.StartUtc, EndUtc = e.EndUtc, Order = e.Order,
    };

    private void Apply(PosterSessionScheduled e) => Items[e.ItemId] = new AgendaItem
    {
        Id = e.ItemId, Kind = AgendaItemKind.PosterSession, Title = e.Title, SignupUrl = e.SignupUrl,
        Day = e.Day, StartLocal = e.StartLocal, DurationMinutes = e.DurationMinutes,
        Room = e.Room, StartUtc = e.StartUtc, EndUtc = e.EndUtc, Order = e.Order,
        Description = e.Description, SignupLabel = e.SignupLabel,
    };

    private void Apply(TalkRescheduled e)
    {
        var i = Items[e.TalkId];
        (i.Day, i.StartLocal, i.DurationMinutes, i.Room, i.StartUtc, i.EndUtc) =
            (e.Day, e.StartLocal, e.DurationMinutes, e.Room, e.StartUtc, e.EndUtc);
        i.Revision++;
    }

    private void Apply(TalkDetailsRevised e)
    {
        var i = Items[e.TalkId];
        if (e.Title is not null) i.Title = e.Title;
        if (e.Abstract is not null) i.Abstract = e.Abstract;
        if (e.Speakers is not null) i.Speakers = [.. e.Speakers];
        i.Revision++;
    }

    private void Apply(TalkCancelled e)
    {
        var i = Items[e.TalkId];
        i.Cancelled = true;
        i.CancellationReason = e.Reason;
        i.Revision++;
    }
}
