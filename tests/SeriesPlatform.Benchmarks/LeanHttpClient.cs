using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SeriesPlatform.Benchmarks;

/// <summary>
/// The load generator's HTTP/1.1 connection, in the manner of wrk: one keep-alive connection per
/// client, used by one thread with blocking calls (no thread pool hand-offs), a request written as one buffer (the headers HttpClient sends: Host, Authorization,
/// Content-Type, Content-Length), and the response read to its end (Content-Length or chunked) with
/// only its status looked at. Load generator and server share two cores here, and HttpClient used
/// about 0.05 ms of CPU per request, CPU the server then did not have; this uses a fraction of it.
/// The server sees the same requests either way (<c>--client httpclient</c> runs the load with HttpClient).
/// </summary>
internal sealed class LeanHttpClient : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private readonly Socket _socket;
    private readonly string _headers;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    private LeanHttpClient(Socket socket, int port, string bearer)
    {
        _socket = socket;
        _headers = $"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {bearer}\r\nContent-Type: application/json\r\n";
    }

    public static LeanHttpClient Connect(int port, string bearer)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return new LeanHttpClient(socket, port, bearer);
    }

    /// <summary>POSTs a JSON body and returns the response's status code once the whole response is read.</summary>
    public int Post(string path, byte[] body)
    {
        var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\n{_headers}Content-Length: {body.Length}\r\n\r\n");
        var request = new byte[head.Length + body.Length];
        head.CopyTo(request, 0);
        body.CopyTo(request, head.Length);
        for (var sent = 0; sent < request.Length;)
            sent += _socket.Send(request.AsSpan(sent), SocketFlags.None);
        return ReadResponse();
    }

    private int ReadResponse()
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf(HeaderEnd)) < 0) Fill();
        var headers = Encoding.ASCII.GetString(_buffer, _start, headerEnd).Split("\r\n");
        _start += headerEnd + HeaderEnd.Length;
        if (!headers[0].StartsWith("HTTP/1.1 ", StringComparison.Ordinal)) throw new InvalidDataException($"Not an HTTP/1.1 response: {headers[0]}");
        var status = int.Parse(headers[0].AsSpan(9, 3));
        long? length = null;
        var chunked = false;
        foreach (var line in headers.Skip(1))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = long.Parse(line.AsSpan(15).Trim());
            else if (line.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
        }
        if (chunked)
        {
            while (true)
            {
                var size = Convert.ToInt64(ReadLine().Split(';')[0].Trim(), 16);
                Skip(size);
                ReadLine(); // the CRLF after the chunk (or the empty trailer line after the last)
                if (size == 0) break;
            }
        }
        else if (length is { } n) Skip(n);
        else if (status is not (204 or 304) && status >= 200) throw new InvalidDataException("A response without a length on a keep-alive connection.");
        return status;
    }

    private string ReadLine()
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0) Fill();
        var line = Encoding.ASCII.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }

    private void Skip(long count)
    {
        while (count > 0)
        {
            if (_start == _end) Fill();
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private void Fill()
    {
        if (_start == _end) _start = _end = 0;
        else if (_end == _buffer.Length)
        {
            if (_start == 0) throw new InvalidDataException("Response headers larger than the buffer.");
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            (_start, _end) = (0, _end - _start);
        }
        var read = _socket.Receive(_buffer.AsSpan(_end), SocketFlags.None);
        if (read == 0) throw new IOException("The server closed the connection.");
        _end += read;
    }

    public void Dispose() => _socket.Dispose();
}
