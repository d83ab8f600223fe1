using static SeriesPlatform.Server.Pages.Html;

namespace SeriesPlatform.Server.Pages.Admin;

/// <summary>Placeholder until the projection daemon's status is served by the History work (see README).</summary>
public static class ProjectionStatus
{
    public static Html Section() => Empty;
}
