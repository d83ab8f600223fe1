using System.Buffers;
using System.Text.Json;

namespace SeriesPlatform.Server.Commands;

/// <summary>
/// JSON serialized into 64 KB chunks from a small private pool, read by the driver as a stream and
/// disposed once the database has it. Snapshots of large editions are megabytes each. Serialized
/// into exact-size arrays they became large-object-heap garbage that lived until the next full
/// collection (about 80 MB of the commands benchmark's peak RSS); into one growing pooled array, the
/// pool kept two arrays of every size up to the largest snapshot (about 30 MB of large-object heap).
/// Chunks stay under the large-object threshold and the pool keeps at most 8 MB of them.
/// </summary>
public sealed class PooledJson : IBufferWriter<byte>, IDisposable
{
    private const int ChunkSize = 64 * 1024;
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(ChunkSize, maxArraysPerBucket: 128);
    private readonly List<byte[]> _chunks = [];
    private readonly List<int> _used = [];

    public long Length { get; private set; }

    public static PooledJson Serialize<T>(T value, JsonSerializerOptions options)
    {
        var json = new PooledJson();
        using var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented });
        JsonSerializer.Serialize(writer, value, options);
        return json;
    }

    /// <summary>The JSON written, from its start: each call a stream of its own, so a retried write can send it again.</summary>
    public Stream OpenRead() => new Reader(this);

    public void Advance(int count)
    {
        _used[^1] += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_used[^1]);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_used[^1]);

    private byte[] Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_chunks.Count > 0 && _chunks[^1].Length - _used[^1] >= needed) return _chunks[^1];
        // The writer asks for more than a chunk only for one very long value: that chunk is its size.
        _chunks.Add(needed <= ChunkSize ? Pool.Rent(ChunkSize) : new byte[needed]);
        _used.Add(0);
        return _chunks[^1];
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks)
            if (chunk.Length == ChunkSize) Pool.Return(chunk);
        _chunks.Clear();
        _used.Clear();
        Length = 0;
    }

    /// <summary>A seekable read-only view of the chunks (the driver sends Length bytes from Position).</summary>
    private sealed class Reader(PooledJson json) : Stream
    {
        private int _chunk, _offset;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => json.Length;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public override int Read(Span<byte> buffer)
        {
            var copied = 0;
            while (copied < buffer.Length && _chunk < json._chunks.Count)
            {
                var available = json._used[_chunk] - _offset;
                if (available == 0) { (_chunk, _offset) = (_chunk + 1, 0); continue; }
                var n = Math.Min(available, buffer.Length - copied);
                json._chunks[_chunk].AsSpan(_offset, n).CopyTo(buffer[copied..]);
                (_offset, copied) = (_offset + n, copied + n);
            }
            _position += copied;
            return copied;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => json.Length + offset };
            if (target < 0 || target > json.Length) throw new ArgumentOutOfRangeException(nameof(offset));
            (_chunk, _offset, _position) = (0, 0, 0);
            // Walk to the target: the driver seeks only to the start, if at all.
            while (_position < target)
            {
                var step = (int)Math.Min(json._used[_chunk] - _offset, target - _position);
                if (step == 0) { (_chunk, _offset) = (_chunk + 1, 0); continue; }
                (_offset, _position) = (_offset + step, _position + step);
            }
            return _position;
        }

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
