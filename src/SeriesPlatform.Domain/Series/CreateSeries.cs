using System.Text.RegularExpressions;

namespace SeriesPlatform.Domain;

/// <summary>Starts a recurring series; the slug is its permanent id (stream <c>series-{slug}</c>).</summary>
public sealed partial record CreateSeries(string Slug, string Name, string? Description = null) : ICommand<SeriesState>
{
    public const int MaxSlug = 64;

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var v = new Validator();
        if (!IsSlug(Slug)) v.Add("slug", "must be a lowercase slug (a-z, 0-9, dashes), at most 64 characters");
        v.Required("name", Name, Validator.MaxName);
        v.Text("description", Description, Validator.MaxLongText);
        return v.Result;
    }

    public IReadOnlyList<object> Decide(SeriesState state, DateTimeOffset now)
    {
        if (state.Exists) throw new RuleViolation("already-exists", $"Series '{Slug}' already exists.", "slug");
        return [new SeriesCreated(Slug, Name.Trim(), Description)];
    }

    public static bool IsSlug(string? s) => s is { Length: > 0 and <= MaxSlug } && SlugPattern().IsMatch(s);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
