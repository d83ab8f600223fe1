namespace SeriesPlatform.Server.Infrastructure;

/// <summary>
/// Refuses a query string with a NUL character (400), and caps request bodies at 1 MiB for every
/// host: Kestrel enforces its own limit, but hosts without it (the in-memory test server, some
/// proxies) would otherwise read any size. Too large: 413.
/// </summary>
public static class BodyLimit
{
    public const long MaxBytes = 1024 * 1024;

    public static IApplicationBuilder UseBodyLimit(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // PostgreSQL text cannot hold NUL, so a query parameter with one would fail in the database (a 500).
        if (http.Request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
            throw ValidationFailed.One("query", "Query parameters must not contain NUL characters (%00).");
        if (http.Request.ContentLength > MaxBytes)
            throw new BadHttpRequestException("The request body is larger than 1 MiB.", StatusCodes.Status413PayloadTooLarge);
        if (http.Request.ContentLength is null && http.Request.Body.CanRead)
            http.Request.Body = new LimitedStream(http.Request.Body);
        return next(http);
    });

    /// <summary>Counts what is read of a body without a declared length and stops past the limit.</summary>
    private sealed class LimitedStream(Stream inner) : Stream
    {
        private long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Count(await inner.ReadAsync(buffer, ct));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int n)
        {
            _read += n;
            return _read > MaxBytes ? throw new BadHttpRequestException("The request body is larger than 1 MiB.", StatusCodes.Status413PayloadTooLarge) : n;
        }
    }
}
