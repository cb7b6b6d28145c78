using System.Net.Sockets;
using System.Text;

namespace Ingestion.Emulator.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a plain socket, for what HttpClient will not send: request targets with '..' or '%00',
/// headers promising a body that never comes.
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, string Headers, string Body);

    /// <summary>Sends the request line and headers, then <paramref name="body"/> (if any), and reads the whole response.</summary>
    public static async Task<Response> SendAsync(Uri endpoint, string method, string target, IEnumerable<KeyValuePair<string, string>> headers, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Head(endpoint, method, target, headers, body?.Length));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        return await ReadResponseAsync(stream, TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends only the head of a request and reads what the server answers without the body.</summary>
    public static async Task<Response> SendHeadOnlyAsync(Uri endpoint, string method, string target, IEnumerable<KeyValuePair<string, string>> headers)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Head(endpoint, method, target, headers, null));
        return await ReadResponseAsync(stream, TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends the head and part of a body, then drops the connection, as a client that crashed mid-upload.</summary>
    public static async Task SendTruncatedAsync(Uri endpoint, string method, string target, IEnumerable<KeyValuePair<string, string>> headers, byte[] partialBody)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Head(endpoint, method, target, headers, null));
        await stream.WriteAsync(partialBody);
        await stream.FlushAsync();
        await Task.Delay(200);
        client.Client.LingerState = new LingerOption(true, 0);
    }

    private static byte[] Head(Uri endpoint, string method, string target, IEnumerable<KeyValuePair<string, string>> headers, int? contentLength)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(endpoint.Authority).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (contentLength is { } length)
        {
            head.Append("Content-Length: ").Append(length).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }

    private static async Task<Response> ReadResponseAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (!IsComplete(buffer.ToArray()))
        {
            int read;
            try
            {
                read = await stream.ReadAsync(chunk, cts.Token);
            }
            catch (IOException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        var (head, body) = Split(buffer.ToArray());
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        var status = int.Parse(head.Split(' ')[1]);
        return new Response(status, head, Encoding.UTF8.GetString(body));
    }

    private static (string Head, byte[] Body) Split(byte[] data)
    {
        var split = data.AsSpan().IndexOf("\r\n\r\n"u8);
        return split < 0
            ? (Encoding.ASCII.GetString(data), [])
            : (Encoding.ASCII.GetString(data, 0, split), data[(split + 4)..]);
    }

    /// <summary>A response is complete once its Content-Length worth of body (or the last chunk) is in.</summary>
    private static bool IsComplete(byte[] data)
    {
        if (data.AsSpan().IndexOf("\r\n\r\n"u8) < 0)
        {
            return false;
        }

        var (head, body) = Split(data);
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return body.Length >= int.Parse(line["Content-Length:".Length..].Trim());
            }
        }

        return head.Contains("chunked", StringComparison.OrdinalIgnoreCase) && body.AsSpan().EndsWith("0\r\n\r\n"u8);
    }

    private static byte[] Dechunk(byte[] body)
    {
        var result = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.AsSpan(position).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(body, position, lineEnd).Trim(), 16);
            if (size == 0)
            {
                break;
            }

            result.Write(body, position + lineEnd + 2, size);
            position += lineEnd + 2 + size + 2;
        }

        return result.ToArray();
    }
}
