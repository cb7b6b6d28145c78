using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Ingestion.Core.Tests;

public class SecurityTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task No_verbose_line_or_message_of_a_full_run_shows_the_secret_or_a_token()
    {
        var emulatorClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await TestEmulator.StartAsync(tokenLifetime: TimeSpan.FromHours(1), processingDelay: TimeSpan.Zero, time: emulatorClock);
        using var handler = new RecordingHandler();
        var log = new ListLog();
        var texts = new List<string>();

        using (IngestLog.Begin(log))
        {
            using var session = await emulator.ConnectAsync(handler);
            texts.Add(session.ToString());

            var dataset = await session.ProfileDatasetAsync();
            var batch = await session.NewBatchAsync(dataset.Id, multiLine: true);
            await session.UploadAsync(batch, Samples.Profiles, "nested/profiles.json");
            // A 401 on the way: the renewal is logged too.
            emulatorClock.Advance(TimeSpan.FromHours(2));
            await session.Batches.CompleteBatchAsync(batch.Id, None);
            emulatorClock.Advance(TimeSpan.FromSeconds(1));
            var status = await session.Catalog.WaitForBatchAsync(batch.Id, TestEmulator.FastWait, null, None);
            Assert.Equal(BatchStatus.Active, status.Status);
            await foreach (var _ in session.Catalog.ListDatasetsAsync(null, None))
            {
            }

            var failure = await Assert.ThrowsAsync<IngestionException>(() => session.Batches.AbortBatchAsync(batch.Id, None));
            texts.Add(failure.ToString());
            texts.Add(session.ToString());
        }

        var wrong = await Assert.ThrowsAsync<IngestionException>(() =>
            IngestSession.ConnectAsync(emulator.Options(secret: emulator.Credentials.ClientSecret + "-wrong"), None));
        texts.Add(wrong.ToString());

        var tokens = handler.Tokens;
        Assert.True(tokens.Count >= 2, "expected the first token and its renewal");
        Assert.Contains(log.Lines, l => l.Contains("-> 401"));
        Assert.Contains(log.Lines, l => l.Contains("/ims/token/v3"));
        foreach (var text in log.Lines.Concat(texts))
        {
            Assert.DoesNotContain(emulator.Credentials.ClientSecret, text);
            foreach (var token in tokens)
            {
                Assert.DoesNotContain(token, text);
            }
        }
    }

    [Fact]
    public void An_access_token_does_not_print_its_value()
    {
        var token = new AccessToken("eyJ-very-secret-token", DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("very-secret", token.ToString());
        Assert.Contains("1970-01-01", token.ToString());
    }

    [Fact]
    public async Task The_secret_travels_only_in_the_token_request_body()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        await session.ProfileDatasetAsync();

        foreach (var request in handler.Requests)
        {
            Assert.DoesNotContain(emulator.Credentials.ClientSecret, request.Uri.AbsoluteUri);
            Assert.All(request.Headers.Values, v => Assert.DoesNotContain(emulator.Credentials.ClientSecret, v));
        }

        Assert.All(handler.PlatformRequests, r =>
        {
            Assert.StartsWith("Bearer ", r.Authorization);
            Assert.Equal(emulator.Credentials.ClientId, r.Headers["x-api-key"]);
            Assert.Equal(emulator.Credentials.OrganizationId, r.Headers["x-gw-ims-org-id"]);
            Assert.Equal("prod", r.Headers["x-sandbox-name"]);
            Assert.True(Guid.TryParse(r.Headers["x-request-id"], out _));
        });
    }
}
