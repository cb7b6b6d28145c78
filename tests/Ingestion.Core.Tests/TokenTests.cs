using System.Net;
using Ingestion.Core.Errors;
using Ingestion.Core.Sessions;
using Ingestion.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Ingestion.Core.Tests;

public class TokenTests
{
    private static async Task ListAsync(IngestSession session)
    {
        await foreach (var _ in session.Catalog.ListDatasetsAsync(null, CancellationToken.None))
        {
        }
    }

    [Fact]
    public async Task The_token_is_renewed_before_it_expires()
    {
        // One hour tokens: the engine renews min(5 min, lifetime / 10) = 5 minutes early.
        await using var emulator = await TestEmulator.StartAsync(tokenLifetime: TimeSpan.FromHours(1));
        var clock = new FakeTimeProvider();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, clock);
        var connectedAt = clock.GetUtcNow();
        Assert.Equal(connectedAt + TimeSpan.FromMinutes(55), session.TokenExpires);

        await ListAsync(session);
        clock.Advance(TimeSpan.FromMinutes(54));
        await ListAsync(session);
        Assert.Equal(1, handler.ImsCalls);

        clock.Advance(TimeSpan.FromMinutes(2));
        await ListAsync(session);

        Assert.Equal(2, handler.ImsCalls);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(55), session.TokenExpires);
        var platform = handler.PlatformRequests;
        Assert.All(platform, r => Assert.NotNull(r.BearerToken));
        Assert.NotEqual(platform[0].BearerToken, platform[^1].BearerToken);
        // The renewal happened before the request, not after a 401.
        Assert.Equal(3, platform.Count);
    }

    [Fact]
    public async Task Short_tokens_are_renewed_a_tenth_of_their_life_early()
    {
        await using var emulator = await TestEmulator.StartAsync(tokenLifetime: TimeSpan.FromSeconds(100));
        var clock = new FakeTimeProvider();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, clock);

        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(90), session.TokenExpires);
        clock.Advance(TimeSpan.FromSeconds(89));
        await ListAsync(session);
        Assert.Equal(1, handler.ImsCalls);
        clock.Advance(TimeSpan.FromSeconds(1));
        await ListAsync(session);
        Assert.Equal(2, handler.ImsCalls);
    }

    [Fact]
    public async Task A_token_the_platform_no_longer_accepts_is_replaced_once_and_the_request_succeeds()
    {
        // The emulator's clock runs ahead: its tokens expire while the engine still thinks its own is fresh.
        var emulatorClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await TestEmulator.StartAsync(tokenLifetime: TimeSpan.FromHours(1), time: emulatorClock);
        using var handler = new RecordingHandler();
        var log = new ListLog();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        Assert.Equal(1, handler.ImsCalls);

        emulatorClock.Advance(TimeSpan.FromHours(2));
        using (IngestLog.Begin(log))
        {
            // A create (not idempotent) is the first call after the expiry: it is the one that meets the 401.
            var batch = await session.NewBatchAsync(dataset.Id);
            Assert.Equal(dataset.Id, batch.DatasetId);
        }

        Assert.Equal(2, handler.ImsCalls);
        var creates = handler.PlatformRequests.Where(r => r.Method == HttpMethod.Post && r.Path.EndsWith("/import/batches", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, creates.Length);
        Assert.NotEqual(creates[0].BearerToken, creates[1].BearerToken);
        // Both attempts of the one create carry the same request id.
        Assert.Equal(creates[0].Headers["x-request-id"], creates[1].Headers["x-request-id"]);
        Assert.Contains(log.Lines, l => l.Contains("401") && l.Contains("new one", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("POST /data/foundation/import/batches -> 401"));

        // The new token sticks: no further renewals.
        await ListAsync(session);
        Assert.Equal(2, handler.ImsCalls);
    }

    [Fact]
    public async Task An_upload_whose_token_expired_is_sent_again_whole()
    {
        var emulatorClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await TestEmulator.StartAsync(tokenLifetime: TimeSpan.FromHours(1), time: emulatorClock);
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        var batch = await session.NewBatchAsync(dataset.Id, multiLine: true);

        emulatorClock.Advance(TimeSpan.FromHours(2));
        await session.UploadAsync(batch, Samples.Profiles);

        Assert.Equal(2, handler.ImsCalls);
        Assert.Equal(2, handler.Count(HttpMethod.Put, "/files/"));
        var stored = Assert.Single(emulator.StoredFiles(batch.Id));
        Assert.Equal(File.ReadAllBytes(Samples.Profiles), File.ReadAllBytes(stored.FullPath));
    }

    [Fact]
    public async Task A_second_401_with_a_fresh_token_is_an_authentication_error()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        // From now on every platform call carries a token the emulator never issued.
        handler.BeforeSend = request =>
        {
            if (!request.RequestUri!.AbsolutePath.EndsWith("/ims/token/v3", StringComparison.Ordinal))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "forged");
            }
        };

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync("01JBATCH0000000000000000000", CancellationToken.None));

        Assert.Equal(IngestErrorKind.Authentication, ex.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("401013", ex.ServiceErrorCode);
        Assert.Contains("401 twice", ex.Message);
        Assert.Contains(emulator.Credentials.ClientId, ex.Message);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.NotNull(ex.RecommendedAction);
        // Connect, then exactly one renewal; the request went out twice and was not retried further.
        Assert.Equal(2, handler.ImsCalls);
        Assert.Equal(2, handler.PlatformRequests.Count);
    }

    [Fact]
    public async Task A_renewal_ims_cannot_answer_is_reported_as_ims_unreachable_and_not_retried_again()
    {
        var emulatorClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await TestEmulator.StartAsync(tokenLifetime: TimeSpan.FromHours(1), time: emulatorClock);
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, retry: new RetrySettings { MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(1) });
        emulatorClock.Advance(TimeSpan.FromHours(2));
        handler.Intercept = (request, _) => request.RequestUri!.AbsolutePath.EndsWith("/ims/token/v3", StringComparison.Ordinal)
            ? throw new HttpRequestException("Connection refused")
            : Task.FromResult<HttpResponseMessage?>(null);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => ListAsync(session));

        Assert.Equal(IngestErrorKind.Unavailable, ex.Kind);
        Assert.Contains("IMS", ex.Message);
        Assert.Contains("Connection refused", ex.Message);
        // Connect, then the renewal with its own two retries; the platform call does not repeat all that.
        Assert.Equal(4, handler.ImsCalls);
        Assert.Single(handler.PlatformRequests);
    }

    [Fact]
    public async Task Concurrent_requests_share_one_renewal()
    {
        await using var emulator = await TestEmulator.StartAsync(tokenLifetime: TimeSpan.FromHours(1));
        var clock = new FakeTimeProvider();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler, clock);
        clock.Advance(TimeSpan.FromHours(1));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ListAsync(session)));

        Assert.Equal(2, handler.ImsCalls);
    }
}
