using System.Security.Cryptography;
using System.Text;

namespace SeriesPlatform.Domain.Dataset;

/// <summary>A <c>[source]</c> record: the document other records were transcribed from.</summary>
public sealed record DatasetSource(string Id, string File, string? Title, string? Kind, string? Url);

public sealed record DatasetError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>
/// One command for one stream, in the order to execute. StepId is deterministic (same file content -> same ids) so a
/// second import can recognise steps already done. StreamId is "series-{slug}" or "edition-{editionGuid:N}".
/// </summary>
public sealed record DatasetStep(Guid StepId, string StreamId, object Command, string SourceId, string? SourceFile, string File, int Line);

public sealed record DatasetPlan(IReadOnlyList<DatasetStep> Steps, IReadOnlyList<DatasetError> Errors, IReadOnlyDictionary<string, DatasetSource> Sources)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>Name-based ids: the same name always gives the same GUID (SHA-256, RFC 9562 version 8 layout).</summary>
public static class DatasetIds
{
    public static Guid From(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("seriesplatform-dataset:" + name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom, name-based)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }

    public static Guid Edition(string editionId) => From("edition:" + editionId);
    public static string EditionStream(Guid edition) => $"edition-{edition:N}";
    public static string SeriesStream(string slug) => $"series-{slug}";
}
