using SeriesPlatform.Domain;

namespace SeriesPlatform.Domain.Tests;

/// <summary>Given events / when command / then events or a rejection.</summary>
public static class Kit
{
    public static readonly DateTimeOffset Now = new(2022, 7, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly Guid EditionId = Guid.Parse("11111111-1111-1111-1111-111111111111");

    public static DateTime Local(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, DateTimeKind.Unspecified);

    /// <summary>The IAIFI summer workshop at Tufts, 8-9 August 2022, times in ET.</summary>
    public static EditionPlanned Tufts(int? capacity = null) => Planned("America/New_York",
        new DateOnly(2022, 8, 8), new DateOnly(2022, 8, 9), capacity, title: "IAIFI Summer Workshop 2022");

    public static EditionPlanned Planned(string zone, DateOnly? start, DateOnly? end, int? capacity = null,
        int? year = null, string? asStated = null, string title = "Workshop", Guid? id = null) =>
        new(id ?? EditionId, "iaifi-summer-workshop", title, start, end, year ?? start?.Year, asStated, [], zone,
            new Venue("Joyce Cummings Center", "Medford", "USA"), EditionFormat.InPerson, capacity, null);

    public static ScheduleTalk Talk(Guid id, DateTime? start, int? minutes = 45, string? room = null, string? title = "A talk",
        TalkKind kind = TalkKind.Invited, DateOnly? day = null, params SpeakerRef[] speakers) =>
        new(id, title, null, speakers, day, start, start is null ? null : minutes, room, kind);
}

/// <summary>A running aggregate: each accepted command's events are folded in.</summary>
public sealed class Given<TState>(TState state, Action<TState, object> evolve) where TState : class, new()
{
    public TState State { get; } = state;

    public IReadOnlyList<object> When(ICommand<TState> command, DateTimeOffset? now = null)
    {
        var errors = command.Validate();
        Assert.True(errors.Count == 0, "invalid command: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        var events = command.Decide(State, now ?? Kit.Now);
        foreach (var e in events) evolve(State, e);
        return events;
    }

    public RuleViolation Rejects(ICommand<TState> command, string code, DateTimeOffset? now = null)
    {
        Assert.Empty(command.Validate());
        var ex = Assert.Throws<RuleViolation>(() => command.Decide(State, now ?? Kit.Now));
        Assert.Equal(code, ex.Code);
        return ex;
    }

    public T Single<T>(ICommand<TState> command, DateTimeOffset? now = null) => Assert.IsType<T>(Assert.Single(When(command, now)));
}

public static class Given
{
    public static Given<EditionState> Edition(params object[] events) => new(EditionState.From(events), (s, e) => s.Evolve(e));
    public static Given<SeriesState> Series(params object[] events) => new(SeriesState.From(events), (s, e) => s.Evolve(e));
}
