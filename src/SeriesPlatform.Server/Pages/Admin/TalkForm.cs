using SeriesPlatform.Domain;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>The talk fields shared by scheduling and revising, and how the commands' error keys map onto them.</summary>
public static class TalkForm
{
    /// <summary>Command error keys (camelCase paths) → this form's field names.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldOf = new Dictionary<string, string>
    {
        ["speakers[0].name"] = "speakerName", ["speakers[0].affiliation"] = "speakerAffiliation", ["speakers[0].bio"] = "speakerBio",
        ["speakers"] = "speakerName", ["start"] = "startLocal", ["day"] = "startLocal", ["talkId"] = "title",
    };

    public static readonly (string, string)[] Kinds = Enum.GetValues<TalkKind>().Select(k => (k.ToString(), k.ToString())).ToArray();

    public static List<SpeakerRef>? Speakers(Form form) => form.Optional("speakerName") is null && form.Optional("speakerAffiliation") is null
        ? null
        : [new SpeakerRef(form["speakerName"].Trim(), form.Optional("speakerAffiliation"), null, form.Optional("speakerBio"))];

    public static Html Details(Form form) => H($"""
        {Forms.Input(form, "title", "Title", hint: "Leave empty while the title is not known: the agenda says \"Details to come\".")}
        <div class="row">
        {Forms.Input(form, "speakerName", "Speaker")}
        {Forms.Input(form, "speakerAffiliation", "Speaker's affiliation", hint: "As it is for this talk; it is kept per appearance.")}
        </div>
        {Forms.Input(form, "speakerBio", "Speaker's bio", type: "textarea")}
        {Forms.Input(form, "abstract", "Abstract", type: "textarea")}
        """);

    public static Html Slot(Form form, string zone) => H($"""
        <div class="row">
        {Forms.Input(form, "startLocal", "Start", type: "datetime-local", hint: $"Local time in {zone}.")}
        {Forms.Input(form, "durationMinutes", "Duration (minutes)", type: "number", extra: "min=\"1\" max=\"1440\"")}
        {Forms.Input(form, "room", "Room", hint: "Empty = the main room.")}
        </div>
        """);
}
