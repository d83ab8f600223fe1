using System.Buffers;

namespace SeriesPlatform.Server.Feed;

/// <summary>
/// A growable byte buffer rented from the shared pool: a feed page (up to about a megabyte) is
/// written here and handed to the response, without a large-object allocation per request.
/// Returned to the pool on dispose; nothing written may be used after that.
/// </summary>
public sealed class PageBuffer(int initialSize = 64 * 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(initialSize);
    private int _written;

    public int WrittenCount => _written;
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    public void Advance(int count) => _written += count;

    // Ensure may replace the array, so it runs before the array is read.
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var start = Ensure(sizeHint);
        return _array.AsMemory(start);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var start = Ensure(sizeHint);
        return _array.AsSpan(start);
    }

    public void Write(byte value)
    {
        Ensure(1);
        _array[_written++] = value;
    }

    private int Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 256);
        if (needed > _array.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
            _array.AsSpan(0, _written).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }
        return _written;
    }

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, []);
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
    }
}
