namespace SeriesPlatform.Server.Commands;

/// <summary>
/// In-process turns per stream: commands of this process on one stream run one after another, so
/// the cached state is always the one the next command decides on. Striped (a stream maps to one of
/// a fixed set of gates) to stay bounded; two streams sharing a gate only wait for each other.
/// Other processes are not covered: their writes are caught by the append's version check.
/// </summary>
public sealed class StreamGates(int stripes = 4096)
{
    private readonly SemaphoreSlim[] _gates = Enumerable.Range(0, stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> EnterAsync(string streamId, CancellationToken ct)
    {
        var gate = _gates[(int)((uint)string.GetHashCode(streamId, StringComparison.Ordinal) % (uint)_gates.Length)];
        await gate.WaitAsync(ct);
        return new Turn(gate);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
