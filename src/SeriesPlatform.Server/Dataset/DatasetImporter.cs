using SeriesPlatform.Domain;
using SeriesPlatform.Domain.Dataset;
using SeriesPlatform.Server.Commands;

namespace SeriesPlatform.Server.Dataset;

public sealed record ImportResult(int Steps, int Applied, int AlreadyDone, IReadOnlyList<DatasetError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Imports dataset files through the same command workflow an admin uses (never into tables
/// directly). Each step carries a deterministic id used as its idempotency key, so importing the
/// same files twice changes nothing; a file with any error imports nothing.
/// </summary>
public sealed class DatasetImporter(CommandHandler handler)
{
    public const string Actor = "import";

    public static DatasetPlan Read(string path)
    {
        var files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.series").Order(StringComparer.Ordinal).ToList()
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"No dataset at '{path}'.", path);
        return DatasetParser.Parse(files.Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
    }

    public async Task<ImportResult> ImportAsync(DatasetPlan plan, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        if (!plan.Ok) return new ImportResult(plan.Steps.Count, 0, 0, plan.Errors);
        int applied = 0, done = 0;
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var request = new CommandRequest(Actor, IdempotencyKey: step.StepId.ToString(), Fingerprint: step.StepId.ToString(),
                CorrelationId: $"import:{step.File}:{step.Line}", Source: step.SourceFile ?? step.SourceId, IdempotencyScope: "import");
            var response = step.Command switch
            {
                ICommand<SeriesState> c => await handler.HandleAsync(step.StreamId, c, request, _ => null, creates: true, successStatus: 201, ct: ct),
                ICommand<EditionState> c => await handler.HandleAsync(step.StreamId, c, request, _ => null, creates: true, successStatus: 201, ct: ct),
                _ => throw new InvalidOperationException($"{step.File}:{step.Line}: {step.Command.GetType().Name} is not a command."),
            };
            if (response.Replayed) done++; else applied++;
            progress?.Report((i + 1, plan.Steps.Count));
        }
        return new ImportResult(plan.Steps.Count, applied, done, []);
    }
}
