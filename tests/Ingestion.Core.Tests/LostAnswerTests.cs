using System.Globalization;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;
using Ingestion.Emulator;

namespace Ingestion.Core.Tests;

/// <summary>
/// Answers lost after the service performed the request. The emulator's "lost" fault drops the connection with a reset,
/// which .NET's SocketsHttpHandler reports as it is; a server or proxy that closes the connection gracefully before the
/// first byte of an answer makes the handler send a request without a body again by itself (up to three more times, on
/// new connections too). For a request that is not idempotent that is a second action the engine never decided on.
/// </summary>
public class LostAnswerTests
{
    private static readonly RetrySettings Retry = new()
    {
        MaxRetries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>With this seed the sequential requests of the lookup test lose a create's answer, then its lookup's.</summary>
    private const int Seed = 3;

    /// <summary>The ids of the dataset's batches with that externalId (Catalog answers a map keyed by batch id).</summary>
    private static async Task<string[]> BatchesWithExternalIdAsync(TestEmulator emulator, string datasetId, string externalId) =>
        (await emulator.GetJsonAsync($"data/foundation/catalog/batches?dataSet={datasetId}&externalId={externalId}&limit=100"))
            .EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public async Task A_create_whose_answer_is_lost_on_a_reused_connection_makes_one_batch()
    {
        await using var emulator = await TestEmulator.StartAsync();
        // The real handler chain and connection pool: no test handler, no Connection: close.
        using var session = await emulator.ConnectAsync(retry: Retry);
        var dataset = await session.ProfileDatasetAsync();
        // Warm the pool: every later request goes out on a connection that has served one before.
        await session.NewBatchAsync(dataset.Id);
        await emulator.SetFaultsAsync(new FaultOptions { LostResponseRate = 1.0, PathPrefix = "/data/foundation/import/batches" });
        var log = new ListLog();

        IngestionException? failure = null;
        using (IngestLog.Begin(log))
        {
            try
            {
                // Every create is performed and its answer lost; the Catalog lookup (out of scope) finds the batch.
                var batch = await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id, ExternalId = "lost-1" }, CancellationToken.None);
                Assert.Equal("lost-1", batch.ExternalId);
            }
            catch (IngestionException ex)
            {
                failure = ex;
            }
        }

        // One create reached the service: the pool did not repeat it, and the lookup found it before a second attempt.
        Assert.Equal(1, (await emulator.FaultCountersAsync())["requests"]);
        await emulator.SetFaultsAsync(FaultOptions.None);
        var made = await BatchesWithExternalIdAsync(emulator, dataset.Id, "lost-1");
        Assert.True(failure is null, failure?.ToString());
        Assert.Single(made);
        Assert.Contains(log.Lines, l => l.Contains("reconciled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_is_reconciled_even_when_the_lookup_is_lost_too()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync(retry: new RetrySettings { MaxRetries = 4, RetryDelay = TimeSpan.FromMilliseconds(1), AttemptTimeout = TimeSpan.FromSeconds(30) });
        var dataset = await session.ProfileDatasetAsync();
        await session.NewBatchAsync(dataset.Id);
        // Lost answers on half the requests under /data/foundation: creates and Catalog lookups alike. The requests
        // are sequential, so the seed fixes which ones (this seed loses creates and, right after, their lookups).
        await emulator.SetFaultsAsync(new FaultOptions { LostResponseRate = 0.5, Seed = Seed, PathPrefix = "/data/foundation" });
        var log = new ListLog();

        var ids = new List<string>();
        using (IngestLog.Begin(log))
        {
            for (var i = 0; i < 6; i++)
            {
                ids.Add((await session.Batches.CreateBatchAsync(new NewBatchRequest { DatasetId = dataset.Id, ExternalId = $"lost-lookup-{i}" }, CancellationToken.None)).Id);
            }
        }

        await emulator.SetFaultsAsync(FaultOptions.None);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(ids[i], Assert.Single(await BatchesWithExternalIdAsync(emulator, dataset.Id, $"lost-lookup-{i}")));
        }

        // The scenario happened: a create's answer lost, its lookup's answer lost and retried, the batch reconciled.
        var lines = log.Lines.ToList();
        var lostLookup = lines.FindIndex(l => l.StartsWith("GET /data/foundation/catalog/batches failed after", StringComparison.Ordinal));
        Assert.True(lostLookup > 0, string.Join(Environment.NewLine, lines));
        Assert.StartsWith("POST /data/foundation/import/batches failed after", lines.Take(lostLookup).Last(l => l.StartsWith("POST /data/foundation/import/batches ", StringComparison.Ordinal) && !l.Contains("; attempt ", StringComparison.Ordinal)));
        Assert.Contains(lines.Skip(lostLookup), l => l.Contains("so it was reconciled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_abort_whose_answer_is_lost_on_a_reused_connection_is_sent_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync(retry: Retry);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);
        await emulator.SetFaultsAsync(new FaultOptions { LostResponseRate = 1.0, PathPrefix = "/data/foundation/import/batches" });
        var log = new ListLog();

        using (IngestLog.Begin(log))
        {
            // The service aborts the batch; the answer never comes: the engine reports it cannot tell.
            var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Batches.AbortBatchAsync(batch.Id, CancellationToken.None));
            Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        }

        var counters = await emulator.FaultCountersAsync();
        Assert.Equal(1, counters["requests"]);
        Assert.Equal(1, counters["lostResponse"]);
        Assert.Single(log.Lines, l => l.StartsWith("POST /data/foundation/import/batches/" + batch.Id, StringComparison.Ordinal));
    }

    /// <summary>
    /// The emulator's lost fault resets the connection, which the pool does not retry; a server or proxy that closes
    /// it gracefully (FIN) before answering is what makes SocketsHttpHandler send a request without a body again
    /// (three more times on .NET 10, on new connections too, so no pooling setting prevents it).
    /// </summary>
    [Theory]
    [InlineData("ABORT")]
    [InlineData("REVERT")]
    public async Task A_batch_action_that_is_not_idempotent_is_never_sent_again_by_the_connection_pool(string action)
    {
        await using var server = await ClosingServer.StartAsync();
        // The real handler chain; the token request leaves a pooled connection behind, as in any session.
        using var session = await IngestSession.ConnectAsync(new AepConnectionOptions
        {
            ClientId = "id",
            ClientSecret = Secrets.Secure("secret"),
            OrganizationId = "ORG@AdobeOrg",
            Sandbox = "prod",
            PlatformEndpoint = server.Endpoint,
            Retry = Retry,
        }, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => action == "ABORT"
            ? session.Batches.AbortBatchAsync("b1", CancellationToken.None)
            : session.Batches.RevertBatchAsync("b1", CancellationToken.None));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        // Sent once; without the empty body the pool sent it 4 times.
        Assert.Equal(["POST /data/foundation/import/batches/b1?action=" + action], server.Dropped);
    }

    [Fact]
    public async Task A_request_not_marked_idempotent_carries_an_empty_body_and_a_marked_one_none()
    {
        using var handler = new RecordingHandler();
        await using var emulator = await TestEmulator.StartAsync();
        using var session = await emulator.ConnectAsync(handler, retry: Retry);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id);

        await session.Batches.CompleteBatchAsync(batch.Id, CancellationToken.None);
        await session.Catalog.WaitForBatchAsync(batch.Id, TestEmulator.FastWait, null, CancellationToken.None);
        await Assert.ThrowsAsync<IngestionException>(() => session.Batches.AbortBatchAsync(batch.Id, CancellationToken.None));

        var sent = handler.Messages.Where(m => m.RequestUri!.Query.Contains("action=", StringComparison.Ordinal)).ToArray();
        Assert.Null(Assert.Single(sent, m => m.RequestUri!.Query.Contains("COMPLETE", StringComparison.Ordinal)).Content);
        Assert.Equal(0, Assert.Single(sent, m => m.RequestUri!.Query.Contains("ABORT", StringComparison.Ordinal)).Content!.Headers.ContentLength);
    }

    /// <summary>
    /// A loopback HTTP/1.1 server that answers IMS token requests (keeping the connection) and closes the connection
    /// gracefully, unanswered, on any other request, as if it was performed and the answer lost.
    /// </summary>
    private sealed class ClosingServer : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener listener = new(System.Net.IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private Task? accepting;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> dropped = new();

        public Uri Endpoint => new($"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/");

        /// <summary>"METHOD /path?query" of every request dropped unanswered.</summary>
        public string[] Dropped => dropped.ToArray();

        public static Task<ClosingServer> StartAsync()
        {
            var server = new ClosingServer();
            server.listener.Start();
            server.accepting = server.AcceptAsync();
            return Task.FromResult(server);
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                System.Net.Sockets.TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(System.Net.Sockets.TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                while (true)
                {
                    var head = new System.Text.StringBuilder();
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        head.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    var text = head.ToString();
                    if (text.StartsWith("POST /ims/token/v3 ", StringComparison.Ordinal))
                    {
                        // Drain the form body so the connection stays usable, then answer with a token.
                        var length = int.Parse(System.Text.RegularExpressions.Regex.Match(text, @"(?im)^content-length:\s*(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
                        var received = text.Length - text.IndexOf("\r\n\r\n", StringComparison.Ordinal) - 4;
                        while (received < length)
                        {
                            var read = await stream.ReadAsync(buffer, stop.Token);
                            if (read == 0)
                            {
                                return;
                            }

                            received += read;
                        }

                        var body = """{"access_token":"token","token_type":"bearer","expires_in":86399}""";
                        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"), stop.Token);
                        continue;
                    }

                    // Performed, then the connection closed before any answer (the requests dropped here have no body).
                    dropped.Enqueue(text[..text.IndexOf(" HTTP/1.1", StringComparison.Ordinal)]);
                    return;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            if (accepting is not null)
            {
                await accepting;
            }

            stop.Dispose();
        }
    }
}
