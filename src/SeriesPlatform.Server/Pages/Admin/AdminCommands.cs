using SeriesPlatform.Domain;
using SeriesPlatform.Server.Commands;
using SeriesPlatform.Server.Infrastructure;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>
/// Admin forms run their commands through the same <see cref="CommandHandler"/> workflow as the
/// API (validation, rules, append, read models), as the signed-in key, with the form's one-time
/// key as Idempotency-Key. A refusal is written into the form instead of becoming a problem+json.
/// </summary>
public static class AdminCommands
{
    public static async Task<bool> TryAsync(Form form, Func<Task> run, IReadOnlyDictionary<string, string>? fieldOf = null)
    {
        if (form.HasErrors) return false;
        try
        {
            await run();
            return true;
        }
        catch (Exception ex) when (Form.IsRefusal(ex))
        {
            form.Refused(ex, fieldOf);
            return false;
        }
    }

    public static CommandRequest Request(HttpContext http, Form form, object? body) =>
        Http.Command(http, body, source: "web") with { IdempotencyKey = form.Optional("once") };

    public static Task<CommandResponse> Edition(HttpContext http, CommandHandler handler, Guid id, ICommand<EditionState> command, Form form, object? body) =>
        handler.HandleAsync(Aggregates.EditionStream(id), command, Request(http, form, body), _ => null, ct: http.RequestAborted);

    /// <summary>Parse errors of local times use the form's own field name, like the command's keys.</summary>
    public static DateTime? LocalTime(Form form, string field)
    {
        var errors = new Dictionary<string, string[]>();
        var value = LocalTimes.Parse(form[field], field, errors);
        if (errors.Count > 0) form.Errors[field] = "must be a date and time like 2022-08-08T09:15";
        return value;
    }

    public static DateOnly? Date(Form form, string field)
    {
        var errors = new Dictionary<string, string[]>();
        var value = LocalTimes.ParseDate(form[field], field, errors);
        if (errors.Count > 0) form.Errors[field] = "must be a date like 2022-08-08";
        return value;
    }

    /// <summary>
    /// A select's value: empty is <paramref name="empty"/>; anything else must name one of the
    /// choices, in any case. A typo or a number is a form error, not silently the default.
    /// </summary>
    public static T Choice<T>(Form form, string field, T empty) where T : struct, Enum
    {
        if (form.Optional(field) is not { } text) return empty;
        if (!char.IsDigit(text[0]) && text[0] != '-' && Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
        form.Errors[field] = "is not one of the choices";
        return empty;
    }

    public static IResult SeeOther(string url) => Results.Redirect(url, permanent: false, preserveMethod: false);
}
