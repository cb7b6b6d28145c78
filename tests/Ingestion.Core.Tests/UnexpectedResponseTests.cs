using System.Net;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.Core.Tests.Support;

namespace Ingestion.Core.Tests;

/// <summary>Answers that are not what the API documents, injected in front of the emulator.</summary>
public class UnexpectedResponseTests
{
    private const string BatchId = "01JBATCH000000000000000000";
    private static readonly CancellationToken None = CancellationToken.None;

    private static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>> Answer(HttpMethod method, HttpStatusCode status, string body) =>
        (request, _) => Task.FromResult(request.Method == method
            ? RecordingHandler.Respond(status, body, r => r.Headers.TryAddWithoutValidation("x-request-id", "injected-id"))
            : null);

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"a":{"id":"a"},"b":{"id":"b"}}""")]
    [InlineData("""{"01JBATCH000000000000000000":"not an object"}""")]
    [InlineData("[]")]
    public async Task A_catalog_answer_without_the_batch(string body)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        handler.Intercept = Answer(HttpMethod.Get, HttpStatusCode.OK, body);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync(BatchId, None));

        Assert.Equal(IngestErrorKind.UnexpectedResponse, ex.Kind);
        Assert.Equal(BatchId, ex.Target);
        Assert.Contains(BatchId, ex.Message);
    }

    [Fact]
    public async Task A_single_entry_under_another_key_is_read_leniently()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        handler.Intercept = Answer(HttpMethod.Get, HttpStatusCode.OK,
            """{"other":{"status":"success","recordCount":"12","metrics":{"failedRecordCount":2},"relatedObjects":[{"type":"dataSet","id":"ds1"}],"created":1700000000000}}""");

        var status = await session.Catalog.GetBatchStatusAsync(BatchId, None);

        Assert.Equal(BatchId, status.Id);
        Assert.Equal(BatchStatus.Success, status.Status);
        Assert.True(status.IsSuccess);
        Assert.Equal(12, status.Records);
        Assert.Equal(2, status.FailedRecords);
        Assert.Equal("ds1", status.DatasetId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), status.Created);
        Assert.Null(status.Completed);
    }

    [Fact]
    public async Task A_status_catalog_does_not_know_yet_is_unknown_and_not_terminal()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        handler.Intercept = Answer(HttpMethod.Get, HttpStatusCode.OK, "{\"" + BatchId + "\":{\"status\":\"quantum\"}}");

        var status = await session.Catalog.GetBatchStatusAsync(BatchId, None);

        Assert.Equal(BatchStatus.Unknown, status.Status);
        Assert.False(status.IsTerminal);
    }

    [Fact]
    public async Task A_body_that_is_not_json()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        handler.Intercept = Answer(HttpMethod.Get, HttpStatusCode.OK, "<html>captive portal</html>");

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.GetBatchStatusAsync(BatchId, None));

        Assert.Equal(IngestErrorKind.UnexpectedResponse, ex.Kind);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal("injected-id", ex.RequestId);
        Assert.DoesNotContain("captive", ex.Message);
    }

    [Theory]
    [InlineData("""{"status":"loading"}""")]
    [InlineData("""{"id":{"nested":true}}""")]
    [InlineData("")]
    public async Task A_created_batch_without_an_id(string body)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        var dataset = await session.ProfileDatasetAsync();
        handler.Intercept = Answer(HttpMethod.Post, HttpStatusCode.Created, body);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.NewBatchAsync(dataset.Id));

        Assert.Equal(IngestErrorKind.UnexpectedResponse, ex.Kind);
        Assert.Contains(dataset.Id, ex.Message);
    }

    [Theory]
    [InlineData("""["@/dataSets/"]""")]
    [InlineData("""{"id":"x"}""")]
    [InlineData("[]")]
    public async Task A_created_dataset_without_a_reference(string body)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var handler = new RecordingHandler();
        using var session = await emulator.ConnectAsync(handler);
        handler.Intercept = Answer(HttpMethod.Post, HttpStatusCode.Created, body);

        var ex = await Assert.ThrowsAsync<IngestionException>(() => session.Catalog.CreateDatasetAsync("name", Samples.ProfileSchema, null, None));

        Assert.Equal(IngestErrorKind.UnexpectedResponse, ex.Kind);
        Assert.Equal("name", ex.Target);
    }
}
