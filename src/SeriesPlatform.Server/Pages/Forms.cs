using Microsoft.AspNetCore.Antiforgery;
using SeriesPlatform.Domain;
using SeriesPlatform.Server.Infrastructure;
using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages;

/// <summary>
/// What a form said and what was wrong with it. Values are kept so a refused form comes back as
/// the user typed it; errors are keyed by the form's field names.
/// </summary>
public sealed class Form(string prefix, IReadOnlyDictionary<string, string> values)
{
    public string Prefix { get; } = prefix;
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    /// <summary>Errors that belong to no field of this form (an unknown talk, a stale page).</summary>
    public List<string> General { get; } = [];

    public static Form Empty(string prefix, IReadOnlyDictionary<string, string>? defaults = null) => new(prefix, defaults ?? new Dictionary<string, string>());

    public static async Task<Form> ReadAsync(HttpContext http, string prefix)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        return new Form(prefix, form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
    }

    public string this[string field] => values.TryGetValue(field, out var v) ? v : "";
    public string? Optional(string field) => string.IsNullOrWhiteSpace(this[field]) ? null : this[field].Trim();
    public bool HasErrors => Errors.Count > 0 || General.Count > 0;

    public int? Int(string field)
    {
        var text = Optional(field);
        if (text is null) return null;
        if (int.TryParse(text, out var n)) return n;
        Errors[field] = "must be a whole number";
        return null;
    }

    public string Id(string field) => $"{Prefix}-{field}";

    /// <summary>
    /// Puts a refusal next to the field that caused it: validation keys and rule fields are the
    /// commands' camelCase names, mapped to this form's names (e.g. speakers[0].name → speakerName).
    /// </summary>
    public void Refused(Exception ex, IReadOnlyDictionary<string, string>? fieldOf = null)
    {
        string Field(string key) => fieldOf is not null && fieldOf.TryGetValue(key, out var f) ? f : key;
        void Put(string? key, string message)
        {
            var field = key is null ? null : Field(key);
            if (field is not null && values.ContainsKey(field)) Errors[field] = Errors.TryGetValue(field, out var e) ? $"{e}; {message}" : message;
            else General.Add(key is null ? message : $"{key}: {message}");
        }
        switch (ex)
        {
            case ValidationFailed v:
                foreach (var (key, messages) in v.Errors) Put(key, string.Join("; ", messages));
                break;
            case RuleViolation r: Put(r.Field, r.Message); break;
            default: General.Add(ex.Message); break;
        }
    }

    /// <summary>The failures a form turns into messages; anything else is a bug and stays an exception.</summary>
    public static bool IsRefusal(Exception ex) => ex is ValidationFailed or RuleViolation or EntityNotFound or NotFound or VersionMismatch
        or Auth.Forbidden;
}

public static class Forms
{
    public const string CsrfField = "__csrf";

    public static Html Csrf(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return H($"""<input type="hidden" name="{CsrfField}" value="{tokens.RequestToken}">""");
    }

    /// <summary>A once-per-rendering key: a form sent twice (double click, reload) runs its command once.</summary>
    public static Html OnceKey() => H($"""<input type="hidden" name="once" value="{Guid.NewGuid():N}">""");

    public static Html Errors(Form form)
    {
        if (!form.HasErrors) return Empty;
        var items = form.Errors.Select(e => H($"""<li><a href="#{form.Id(e.Key)}">{e.Key}: {e.Value}</a></li>"""))
            .Concat(form.General.Select(g => H($"<li>{g}</li>")));
        return H($"""<div class="error-summary" role="alert"><p>The form was not accepted:</p><ul>{items}</ul></div>""");
    }

    /// <summary>A labelled input with its error right under it, tied by aria-describedby.</summary>
    public static Html Input(Form form, string field, string label, string type = "text", bool required = false, string? hint = null,
        string? extra = null)
    {
        var id = form.Id(field);
        var error = form.Errors.TryGetValue(field, out var e) ? e : null;
        var describedBy = string.Join(' ', new[] { hint is null ? null : $"{id}-hint", error is null ? null : $"{id}-error" }.Where(x => x is not null));
        var control = type == "textarea"
            ? H($"""<textarea id="{id}" name="{field}" rows="4"{Attrs(required, describedBy, error, null)}>{form[field]}</textarea>""")
            // A password (an API key) is never echoed back into the page.
            : H($"""<input id="{id}" name="{field}" type="{type}" value="{(type == "password" ? "" : form[field])}"{Attrs(required, describedBy, error, extra)}>""");
        return H($"""
            <div class="field{(error is null ? "" : " invalid")}">
            <label for="{id}">{label}{(required ? " (required)" : "")}</label>
            {(hint is null ? Empty : H($"""<p class="hint" id="{id}-hint">{hint}</p>"""))}
            {control}
            {(error is null ? Empty : H($"""<p class="error" id="{id}-error">{error}</p>"""))}
            </div>
            """);
    }

    public static Html Select(Form form, string field, string label, IEnumerable<(string Value, string Text)> options)
    {
        var id = form.Id(field);
        var error = form.Errors.TryGetValue(field, out var e) ? e : null;
        var opts = options.Select(o => o.Value == form[field]
            ? H($"""<option value="{o.Value}" selected>{o.Text}</option>""")
            : H($"""<option value="{o.Value}">{o.Text}</option>"""));
        return H($"""
            <div class="field{(error is null ? "" : " invalid")}">
            <label for="{id}">{label}</label>
            <select id="{id}" name="{field}"{Attrs(false, error is null ? "" : $"{id}-error", error, null)}>{opts}</select>
            {(error is null ? Empty : H($"""<p class="error" id="{id}-error">{error}</p>"""))}
            </div>
            """);
    }

    private static Html Attrs(bool required, string describedBy, string? error, string? extra) => H($"""{(required ? Trusted(" required") : Empty)}{(describedBy.Length > 0 ? H($" aria-describedby=\"{describedBy}\"") : Empty)}{(error is null ? Empty : Trusted(" aria-invalid=\"true\""))}{(extra is null ? Empty : Trusted(" " + extra))}""");

    /// <summary>A form that is just a button (open registration, check in ...).</summary>
    public static Html Button(HttpContext http, string action, string text, string? cssClass = null) => H($"""
        <form method="post" action="{action}" class="inline">{Csrf(http)}<button type="submit"{(cssClass is null ? Empty : H($" class=\"{cssClass}\""))}>{text}</button></form>
        """);
}
