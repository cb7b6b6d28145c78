using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Errors;
using Microsoft.Extensions.Time.Testing;

namespace Ingestion.Core.Tests;

/// <summary>Data Cloud streaming: packing under 200 KB, the request window, the rate limiter, grouped deletes and answers.</summary>
public class DataCloudStreamingTests
{
    private const string Source = "emulator_connector";
    private const string Object = "orders";

    // ---- Packing ----

    [Fact]
    public void Many_small_records_are_packed_in_order_into_bodies_under_200_KB_without_splitting_any()
    {
        var packer = new RecordPacker();
        var bodies = new List<PackedBody>();
        const int count = 20_000;
        for (var i = 0; i < count; i++)
        {
            if (packer.Add(i, Order(i)) is { } full)
            {
                bodies.Add(full);
            }
        }

        bodies.Add(packer.Flush()!);
        Assert.Null(packer.Flush());
        Assert.True(bodies.Count > 1);
        var next = 0;
        foreach (var body in bodies)
        {
            Assert.True(body.Content.Length < RecordPacker.MaxBodyBytes, $"{body.Content.Length} bytes");
            var data = Data(body);
            Assert.Equal(body.Count, data.Count);
            Assert.Equal(next, body.FirstIndex);
            Assert.Equal(next + body.Count - 1, body.LastIndex);
            foreach (var record in data)
            {
                Assert.Equal($"o-{next++}", (string)record!["order_id"]!);
            }
        }

        Assert.Equal(count, next);
        // Full bodies are really full: the next record would not have fitted.
        Assert.All(bodies.SkipLast(1), b => Assert.True(b.Content.Length > RecordPacker.MaxBodyBytes - 200));
    }

    [Fact]
    public void The_envelope_is_the_data_array_of_the_records_as_compact_UTF8_JSON()
    {
        var packer = new RecordPacker();
        var record = new JsonObject { ["order_id"] = "ü-1", ["amount"] = 12.5, ["paid"] = true, ["note"] = null, ["lines"] = new JsonArray(1, 2), ["ship"] = new JsonObject { ["city"] = "Köln" } };
        packer.Add(0, record);
        var body = packer.Flush()!;
        var text = Encoding.UTF8.GetString(body.Content);
        Assert.Equal("""{"data":[{"order_id":"ü-1","amount":12.5,"paid":true,"note":null,"lines":[1,2],"ship":{"city":"Köln"}}]}""", text);
        Assert.Equal(RecordPacker.EnvelopeBytes, Encoding.UTF8.GetByteCount("""{"data":[]}"""));
    }

    [Fact]
    public void Records_near_the_limit_go_one_per_body()
    {
        var packer = new RecordPacker();
        var bodies = new List<PackedBody>();
        for (var i = 0; i < 5; i++)
        {
            if (packer.Add(i, Padded(120_000)) is { } full)
            {
                bodies.Add(full);
            }
        }

        bodies.Add(packer.Flush()!);
        Assert.Equal(5, bodies.Count);
        Assert.All(bodies, b => Assert.Equal(1, b.Count));
        Assert.All(bodies, b => Assert.True(b.Content.Length < RecordPacker.MaxBodyBytes));
    }

    [Fact]
    public void A_body_of_exactly_one_byte_under_the_limit_is_sent_and_one_at_the_limit_is_refused()
    {
        // {"v":""} is 8 bytes, the envelope 11: a padding of n makes a body of 19 + n bytes.
        var fits = RecordPacker.MaxBodyBytes - 1 - 19;
        var packer = new RecordPacker();
        Assert.Null(packer.Add(0, Padded(fits)));
        Assert.Equal(RecordPacker.MaxBodyBytes - 1, packer.Flush()!.Content.Length);

        var ex = Assert.Throws<IngestionException>(() => packer.Add(7, Padded(fits + 1)));
        Assert.Equal(IngestErrorKind.InvalidData, ex.Kind);
        Assert.Contains("Record 7", ex.Message);
        Assert.Equal(0, packer.PendingRecords);
    }

    [Fact]
    public void Two_records_that_fill_a_body_to_one_byte_under_the_limit_share_it_and_one_byte_more_splits_them()
    {
        // Two records: 11 + (8 + a) + 1 + (8 + b) bytes.
        var total = RecordPacker.MaxBodyBytes - 1;
        var a = 1000;
        var b = total - 11 - 8 - a - 1 - 8;
        var packer = new RecordPacker();
        Assert.Null(packer.Add(0, Padded(a)));
        Assert.Null(packer.Add(1, Padded(b)));
        var one = packer.Flush()!;
        Assert.Equal(2, one.Count);
        Assert.Equal(total, one.Content.Length);

        Assert.Null(packer.Add(0, Padded(a)));
        var first = packer.Add(1, Padded(b + 1));
        Assert.NotNull(first);
        Assert.Equal(1, first.Count);
        Assert.Equal(1, packer.Flush()!.FirstIndex);
    }

    [Fact]
    public void A_record_too_large_is_named_by_index_and_short_first_field_and_the_packer_goes_on()
    {
        var packer = new RecordPacker();
        packer.Add(0, Order(0));
        var big = new JsonObject { ["order_id"] = "o-big", ["notes"] = new string('x', 300_000) };
        var ex = Assert.Throws<IngestionException>(() => packer.Add(1, big));
        Assert.Contains("Record 1 ('o-big')", ex.Message);
        Assert.NotNull(ex.RecommendedAction);
        packer.Add(2, Order(2));
        var body = packer.Flush()!;
        Assert.Equal(2, body.Count);
        Assert.Equal(2, body.LastIndex);
    }

    [Fact]
    public void A_long_first_field_is_not_quoted_in_the_error()
    {
        var big = new JsonObject { ["order_id"] = new string('k', 100), ["notes"] = new string('x', 300_000) };
        var ex = Assert.Throws<IngestionException>(() => new RecordPacker().Add(3, big));
        Assert.StartsWith("Record 3 takes", ex.Message);
    }

    // ---- Sending ----

    [Fact]
    public async Task Records_are_posted_to_the_source_and_object_as_idempotent_requests_that_must_be_answered_202()
    {
        var transport = new FakeTransport();
        var client = new DataCloudStreamingClient(transport);
        var summary = await client.SendRecordsAsync(Source, Object, Orders(5000), null, null, CancellationToken.None);

        Assert.Equal(5000, summary.Records);
        Assert.Equal(transport.Calls.Count, summary.Requests);
        Assert.True(summary.Requests > 1);
        Assert.Equal(transport.Calls.Sum(c => (long)c.Body!.Length), summary.Bytes);
        Assert.Equal(0, summary.FailedRecords);
        Assert.All(transport.Calls, c =>
        {
            Assert.Equal(HttpMethod.Post, c.Method);
            Assert.Equal("api/v1/ingest/sources/emulator_connector/orders", c.Path);
            Assert.True(c.Idempotent);
            Assert.Equal([202], c.Accepted);
            Assert.Equal("application/json", c.ContentType);
        });
        Assert.Equal(5000, transport.Calls.Sum(c => JsonNode.Parse(c.Body!)!["data"]!.AsArray().Count));
    }

    [Fact]
    public async Task A_202_that_says_accepted_false_is_a_failure()
    {
        var transport = new FakeTransport { Answer = _ => Respond(HttpStatusCode.Accepted, """{"accepted":false}""") };
        var summary = await new DataCloudStreamingClient(transport).SendRecordsAsync(Source, Object, Orders(3), null, null, CancellationToken.None);
        Assert.Equal(0, summary.Records);
        Assert.Equal(3, summary.FailedRecords);
        Assert.Equal(IngestErrorKind.UnexpectedResponse, Assert.IsType<IngestionException>(Assert.Single(summary.Failures).Error).Kind);
    }

    [Fact]
    public async Task A_429_that_outlasts_the_retries_is_a_failure_naming_the_records_and_the_rest_goes_on()
    {
        // The session's resilience pipeline retries idempotent requests on 429 honouring Retry-After; what reaches the
        // client is the error after the retries ran out.
        var calls = 0;
        var transport = new FakeTransport
        {
            Answer = call => Interlocked.Increment(ref calls) == 1
                ? throw new IngestionException(IngestErrorKind.RateLimited, "Too many requests (HTTP 429).") { StatusCode = HttpStatusCode.TooManyRequests, ServiceErrorCode = "REQUEST_LIMIT_EXCEEDED" }
                : Respond(HttpStatusCode.Accepted, """{"accepted":true}"""),
        };
        var options = new RecordStreamOptions { MaxConcurrency = 1 };
        var summary = await new DataCloudStreamingClient(transport).SendRecordsAsync(Source, Object, Orders(3000), options, null, CancellationToken.None);

        var failure = Assert.Single(summary.Failures);
        var error = Assert.IsType<IngestionException>(failure.Error);
        Assert.Equal(IngestErrorKind.RateLimited, error.Kind);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.ServiceErrorCode);
        Assert.StartsWith($"Records 0-{failure.LastIndex} were not accepted by emulator_connector/orders", error.Message);
        Assert.Equal(failure.Records, summary.FailedRecords);
        Assert.Equal(3000 - failure.Records, summary.Records);
        Assert.All(transport.Calls, c => Assert.True(c.Idempotent));
    }

    [Fact]
    public async Task A_failure_every_request_would_meet_stops_the_send_and_is_thrown()
    {
        var transport = new FakeTransport { Answer = _ => throw new IngestionException(IngestErrorKind.NotFound, "No source 'nope'.") { StatusCode = HttpStatusCode.NotFound } };
        var ex = await Assert.ThrowsAsync<IngestionException>(() => new DataCloudStreamingClient(transport).SendRecordsAsync("nope", Object, Orders(20_000), null, null, CancellationToken.None));
        Assert.Equal(IngestErrorKind.NotFound, ex.Kind);
        Assert.True(transport.Calls.Count < 20, $"{transport.Calls.Count} requests after the first refusal");
    }

    [Fact]
    public async Task A_record_too_large_is_reported_in_the_summary_and_the_others_are_sent()
    {
        var transport = new FakeTransport();
        var summary = await new DataCloudStreamingClient(transport).SendRecordsAsync(Source, Object, Records(Order(0), Padded(250_000), Order(2)), null, null, CancellationToken.None);
        Assert.Equal(2, summary.Records);
        Assert.Equal(1, summary.FailedRecords);
        var failure = Assert.Single(summary.Failures);
        Assert.Equal(1, failure.FirstIndex);
        Assert.Contains("Record 1", failure.Error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Never_more_requests_in_flight_than_MaxConcurrency(int limit)
    {
        var inFlight = 0;
        var most = 0;
        var transport = new FakeTransport
        {
            AnswerAsync = async call =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                await Task.Delay(20);
                Interlocked.Decrement(ref inFlight);
                return Respond(HttpStatusCode.Accepted, """{"accepted":true}""");
            },
        };
        var summary = await new DataCloudStreamingClient(transport).SendRecordsAsync(Source, Object, Orders(25_000), new RecordStreamOptions { MaxConcurrency = limit }, null, CancellationToken.None);
        Assert.Equal(25_000, summary.Records);
        Assert.True(summary.Requests >= limit * 2);
        Assert.Equal(limit, most);
    }

    [Fact]
    public async Task The_input_is_read_only_as_far_as_the_window_allows()
    {
        var release = new TaskCompletionSource();
        var transport = new FakeTransport
        {
            AnswerAsync = async _ =>
            {
                await release.Task;
                return Respond(HttpStatusCode.Accepted, "{}");
            },
        };
        var produced = 0;
        async IAsyncEnumerable<JsonObject> Endless([EnumeratorCancellation] CancellationToken token = default)
        {
            for (var i = 0; i < 200_000; i++)
            {
                produced = i + 1;
                yield return Order(i);
                await Task.Yield();
            }
        }

        var sending = new DataCloudStreamingClient(transport).SendRecordsAsync(Source, Object, Endless(), new RecordStreamOptions { MaxConcurrency = 1 }, null, CancellationToken.None);
        await Task.Delay(300);
        // One body in flight, one being filled, and the record that did not fit: a few thousand records, not the whole input.
        Assert.InRange(produced, 1, 10_000);
        release.SetResult();
        var summary = await sending;
        Assert.Equal(200_000, summary.Records);
    }

    [Fact]
    public async Task Progress_reports_records_requests_and_bytes()
    {
        var reports = new ConcurrentBag<RecordSendProgress>();
        var summary = await new DataCloudStreamingClient(new FakeTransport()).SendRecordsAsync(Source, Object, Orders(3000), null, new SyncProgress<RecordSendProgress>(reports.Add), CancellationToken.None);
        var last = reports.MaxBy(r => r.Requests);
        Assert.Equal(summary.Requests, reports.Count);
        Assert.Equal(new RecordSendProgress(summary.Records, summary.Requests, summary.Bytes), last);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public async Task Options_out_of_range_are_refused(int concurrency)
    {
        var client = new DataCloudStreamingClient(new FakeTransport());
        var ex = await Assert.ThrowsAsync<IngestionException>(() => client.SendRecordsAsync(Source, Object, Orders(1), new RecordStreamOptions { MaxConcurrency = concurrency }, null, CancellationToken.None));
        Assert.Equal(IngestErrorKind.InvalidArgument, ex.Kind);
    }

    // ---- Rate ----

    [Fact]
    public async Task The_rate_limiter_lets_through_its_rate_per_second_and_then_waits_for_the_window_to_slide()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var limiter = new RequestRateLimiter(5, clock);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.WaitAsync(CancellationToken.None).IsCompleted);
        }

        var sixth = limiter.WaitAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(sixth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50);
        Assert.False(sixth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await sixth.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_lower_RequestsPerSecond_paces_the_requests_on_the_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var transport = new FakeTransport { Clock = clock };
        var sending = new DataCloudStreamingClient(transport, clock).SendRecordsAsync(Source, Object, Orders(12_000), new RecordStreamOptions { RequestsPerSecond = 2, MaxConcurrency = 4 }, null, CancellationToken.None);
        // The clock does not move: two requests start, the third waits for the window to slide.
        for (var waited = 0; transport.Calls.Count < 2 && waited < 5000; waited += 20)
        {
            await Task.Delay(20);
        }

        await Task.Delay(100);
        Assert.Equal(2, transport.Calls.Count);
        while (!sending.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        var summary = await sending;
        Assert.Equal(12_000, summary.Records);
        var starts = transport.Calls.Select(c => c.At).ToList();
        for (var i = 2; i < starts.Count; i++)
        {
            Assert.True(starts[i] - starts[i - 2] >= TimeSpan.FromSeconds(1), $"requests {i - 2} and {i} within one second");
        }
    }

    [Fact]
    public void Clients_over_the_same_transport_share_one_limiter_at_the_service_cap()
    {
        var transport = new FakeTransport();
        var a = new DataCloudStreamingClient(transport);
        var b = new DataCloudStreamingClient(transport);
        Assert.Same(a.Limiter, b.Limiter);
        Assert.Equal(250, a.Limiter.RequestsPerSecond);
        Assert.NotSame(a.Limiter, new DataCloudStreamingClient(new FakeTransport()).Limiter);
    }

    // ---- Deletes ----

    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(1, new[] { 1 })]
    [InlineData(200, new[] { 200 })]
    [InlineData(201, new[] { 200, 1 })]
    [InlineData(450, new[] { 200, 200, 50 })]
    public async Task Deletes_go_in_groups_of_at_most_200_ids_in_a_JSON_body(int count, int[] groups)
    {
        var transport = new FakeTransport();
        var ids = Enumerable.Range(0, count).Select(i => $"o-{i}").ToList();
        var summary = await new DataCloudStreamingClient(transport).DeleteAsync(Source, Object, ids, CancellationToken.None);

        Assert.Equal(count, summary.Ids);
        Assert.Equal(groups.Length, summary.Requests);
        Assert.Equal(groups, transport.Calls.Select(c => JsonNode.Parse(c.Body!)!["ids"]!.AsArray().Count));
        Assert.Equal(ids, transport.Calls.SelectMany(c => JsonNode.Parse(c.Body!)!["ids"]!.AsArray().Select(n => (string)n!)));
        Assert.All(transport.Calls, c =>
        {
            Assert.Equal(HttpMethod.Delete, c.Method);
            Assert.Equal("api/v1/ingest/sources/emulator_connector/orders", c.Path);
            Assert.True(c.Idempotent);
            Assert.Equal([202], c.Accepted);
        });
    }

    [Fact]
    public async Task A_delete_group_of_more_than_200_or_with_a_blank_id_is_refused_before_sending()
    {
        var transport = new FakeTransport();
        var client = new DataCloudStreamingClient(transport);
        await Assert.ThrowsAsync<IngestionException>(() => client.DeleteGroupAsync(Source, Object, [.. Enumerable.Range(0, 201).Select(i => $"{i}")], CancellationToken.None));
        await Assert.ThrowsAsync<IngestionException>(() => client.DeleteGroupAsync(Source, Object, ["a", " "], CancellationToken.None));
        Assert.Empty(transport.Calls);
    }

    [Fact]
    public async Task Names_are_escaped_in_the_path()
    {
        var transport = new FakeTransport();
        await new DataCloudStreamingClient(transport).DeleteAsync("my source", "a/b", ["1"], CancellationToken.None);
        Assert.Equal("api/v1/ingest/sources/my%20source/a%2Fb", Assert.Single(transport.Calls).Path);
    }

    // ---- Validation ----

    [Fact]
    public async Task Validation_reads_the_report_with_input_indexes_across_bodies()
    {
        var transport = new FakeTransport
        {
            Answer = call => Respond(HttpStatusCode.OK, """{"validationReport":[{"recordIndex":1,"field":"amount","message":"not a number"}]}"""),
        };
        var records = Records([.. Enumerable.Range(0, 4).Select(_ => Padded(120_000))]);
        var report = await new DataCloudStreamingClient(transport).ValidateAsync(Source, Object, records, CancellationToken.None);

        Assert.All(transport.Calls, c => Assert.Equal("api/v1/ingest/sources/emulator_connector/orders/actions/test", c.Path));
        Assert.Equal(4, transport.Calls.Count);
        Assert.False(report.IsValid);
        Assert.Equal(4, report.Records);
        Assert.Equal([1, 2, 3, 4], report.Issues.Select(i => i.Index!.Value));
        Assert.All(report.Issues, i => Assert.Equal("amount", i.Field));
    }

    [Fact]
    public async Task An_empty_report_is_valid_and_a_400_without_one_is_one_issue_about_the_request()
    {
        var valid = new FakeTransport { Answer = _ => Respond(HttpStatusCode.OK, """{"validationReport":[]}""") };
        Assert.True((await new DataCloudStreamingClient(valid).ValidateAsync(Source, Object, Orders(3), CancellationToken.None)).IsValid);

        var spring = new FakeTransport { Answer = _ => Respond(HttpStatusCode.BadRequest, """{"timestamp":"2021-08-20T16:34:26Z","error":"Bad Request","message":"JSON is properly formatted but has a mismatch with Schema."}""") };
        var report = await new DataCloudStreamingClient(spring).ValidateAsync(Source, Object, Orders(3), CancellationToken.None);
        var issue = Assert.Single(report.Issues);
        Assert.Null(issue.Index);
        Assert.Contains("mismatch with Schema", issue.Message);
        Assert.Equal([200, 202, 400], Assert.Single(spring.Calls).Accepted);
    }

    [Fact]
    public async Task Nested_error_lists_in_the_report_are_flattened()
    {
        var transport = new FakeTransport
        {
            Answer = _ => Respond(HttpStatusCode.OK, """{"validationReport":[{"index":0,"errors":[{"fieldName":"amount","errorMessage":"bad"},{"fieldName":"created","errorMessage":"not a date-time"}]}]}"""),
        };
        var report = await new DataCloudStreamingClient(transport).ValidateAsync(Source, Object, Orders(1), CancellationToken.None);
        Assert.Equal(["amount", "created"], report.Issues.Select(i => i.Field));
        Assert.All(report.Issues, i => Assert.Equal(0, i.Index));
    }

    // ---- Helpers ----

    private static JsonObject Order(int i) => new()
    {
        ["order_id"] = $"o-{i}",
        ["customer_id"] = $"c-{i % 50}",
        ["amount"] = i * 1.25m,
        ["currency"] = "EUR",
        ["created"] = "2026-01-01T00:00:00.000Z",
    };

    private static JsonObject Padded(int length) => new() { ["v"] = new string('x', length) };

    private static async IAsyncEnumerable<JsonObject> Orders(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Order(i);
        }

        await Task.CompletedTask;
    }

    private static async IAsyncEnumerable<JsonObject> Records(params JsonObject[] records)
    {
        foreach (var record in records)
        {
            yield return record;
        }

        await Task.CompletedTask;
    }

    private static JsonArray Data(PackedBody body) => JsonNode.Parse(body.Content)!.AsObject()["data"]!.AsArray();

    private static HttpResponseMessage Respond(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed record Call(HttpMethod Method, string Path, string? Body, string? ContentType, bool Idempotent, int[] Accepted, DateTimeOffset At);

    /// <summary>Records each request as the session's transport would receive it; answers 202 {"accepted":true} unless told otherwise.</summary>
    private sealed class FakeTransport : IDataCloudTransport
    {
        private readonly ConcurrentQueue<Call> calls = new();

        public TimeProvider Clock { get; init; } = TimeProvider.System;

        public Func<Call, HttpResponseMessage>? Answer { get; init; }

        public Func<Call, Task<HttpResponseMessage>>? AnswerAsync { get; init; }

        public IReadOnlyList<Call> Calls => [.. calls];

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relativePath, HttpContent? content, bool idempotent, string operation, object? target, IReadOnlyCollection<int> accepted, CancellationToken cancellationToken)
        {
            var body = content is null ? null : await content.ReadAsStringAsync(cancellationToken);
            var call = new Call(method, relativePath, body, content?.Headers.ContentType?.MediaType, idempotent, [.. accepted], Clock.GetUtcNow());
            calls.Enqueue(call);
            var response = AnswerAsync is not null ? await AnswerAsync(call) : Answer is not null ? Answer(call) : Respond(HttpStatusCode.Accepted, """{"accepted":true}""");
            // The real transport throws for a status outside the accepted list.
            if (!accepted.Contains((int)response.StatusCode))
            {
                throw new IngestionException(IngestErrorKind.Service, $"HTTP {(int)response.StatusCode}") { StatusCode = response.StatusCode };
            }

            return response;
        }
    }
}
