using System.Net;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class PersistenceTests
{
    private const string Line = """{"_id":"p1"}""";

    [Fact]
    public async Task Everything_but_tokens_survives_a_restart_and_staging_batches_finish()
    {
        using var directory = new TempDirectory();
        string dataset, done, staging, schemaId, oldToken;

        await using (var first = await TestEmulator.StartAsync(directory.Path, processingDelay: TimeSpan.FromHours(1)))
        {
            var (_, schema) = await first.SendJsonAsync(HttpMethod.Post, "data/foundation/schemaregistry/tenant/schemas", new JsonObject
            {
                ["title"] = "Kept",
                ["type"] = "object",
                ["properties"] = new JsonObject { ["_id"] = new JsonObject { ["type"] = "string" } },
            });
            schemaId = (string)schema!["$id"]!;
            dataset = await first.CreateDatasetAsync(schemaId);

            done = await first.CreateBatchAsync(dataset);
            await first.UploadOkAsync(done, dataset, "folder/é one.json", Line);
            await first.SignalAsync(done, "ABORT");

            staging = await first.CreateBatchAsync(dataset);
            await first.UploadOkAsync(staging, dataset, "a.json", Line + "\n" + Line);
            await first.SignalAsync(staging, "COMPLETE");
            Assert.Equal("staging", (string)(await first.GetBatchAsync(staging))["status"]!);
            oldToken = await first.GetTokenAsync();
        }

        await using var second = await TestEmulator.StartAsync(directory.Path, processingDelay: TimeSpan.FromMilliseconds(10));

        // Tokens are memory only: the old one is refused the way an expired one is.
        using (var request = await second.RequestAsync(HttpMethod.Get, "data/foundation/catalog/dataSets"))
        {
            request.Headers.Authorization = new("Bearer", oldToken);
            using var refused = await second.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("401013", await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal("aborted", (string)(await second.GetBatchAsync(done))["status"]!);
        var (_, datasets) = await second.SendJsonAsync(HttpMethod.Get, $"data/foundation/catalog/dataSets/{dataset}");
        Assert.Equal(schemaId, (string)datasets![dataset]!["schemaRef"]!["id"]!);
        var (schemaStatus, _) = await second.SendJsonAsync(HttpMethod.Get, $"data/foundation/schemaregistry/tenant/schemas/{Uri.EscapeDataString(schemaId)}");
        Assert.Equal(HttpStatusCode.OK, schemaStatus);

        var resumed = await second.WaitForFinalAsync(staging);
        Assert.Equal("active", (string)resumed["status"]!);
        Assert.Equal(2, (long)resumed["recordCount"]!);
    }

    [Fact]
    public async Task A_loading_batch_keeps_its_files_across_a_restart()
    {
        using var directory = new TempDirectory();
        string dataset, batch;
        await using (var first = await TestEmulator.StartAsync(directory.Path))
        {
            dataset = await first.CreateDatasetAsync();
            batch = await first.CreateBatchAsync(dataset);
            await first.UploadOkAsync(batch, dataset, "one.json", Line);
        }

        await using var second = await TestEmulator.StartAsync(directory.Path);
        using (var replaced = await second.UploadAsync(batch, dataset, "one.json", System.Text.Encoding.UTF8.GetBytes(Line)))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        await second.UploadOkAsync(batch, dataset, "two.json", Line);
        await second.SignalAsync(batch, "COMPLETE");
        Assert.Equal(2, (long)(await second.WaitForFinalAsync(batch))["recordCount"]!);
    }

    [Fact]
    public async Task A_lock_file_names_the_running_emulator_and_goes_away_on_stop()
    {
        using var directory = new TempDirectory();
        var lockPath = directory.Combine("emulator.lock.json");
        await using (var emulator = await TestEmulator.StartAsync(directory.Path))
        {
            var content = JsonNode.Parse(await File.ReadAllTextAsync(lockPath))!;
            Assert.Equal(Environment.ProcessId, (int)content["processId"]!);
            Assert.Equal(emulator.Endpoint.ToString(), (string)content["endpoint"]!);
            Assert.NotNull(content["started"]);
        }

        Assert.False(File.Exists(lockPath));
    }

    [Fact]
    public async Task A_second_emulator_on_the_same_data_directory_is_refused()
    {
        using var directory = new TempDirectory();
        await using var first = await TestEmulator.StartAsync(directory.Path);

        var error = await Assert.ThrowsAsync<EmulatorStartException>(() => TestEmulator.StartAsync(directory.Path));
        Assert.Contains(Environment.ProcessId.ToString(), error.Message);
        Assert.Contains(first.Endpoint.ToString(), error.Message);
    }

    [Fact]
    public async Task A_stale_lock_from_a_dead_process_does_not_block_a_start()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(directory.Combine("emulator.lock.json"),
            """{"processId":2147483000,"endpoint":"http://127.0.0.1:1/","started":"2020-01-01T00:00:00Z","dataDirectory":"x","clientId":"a","clientSecret":"b","organizationId":"c","sandbox":"prod","version":"0"}""");

        await using var emulator = await TestEmulator.StartAsync(directory.Path);
        Assert.Contains(emulator.Endpoint.ToString(), await File.ReadAllTextAsync(directory.Combine("emulator.lock.json")));
    }

    [Fact]
    public async Task Batch_state_is_plain_json_on_disk()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var dataset = await emulator.CreateDatasetAsync();
        var batch = await emulator.CreateBatchAsync(dataset);

        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(emulator.DataDirectory, "batches", batch, "batch.json")))!;
        Assert.Equal(batch, (string)state["id"]!);
        Assert.Equal("loading", (string)state["status"]!);
        Assert.True(File.Exists(Path.Combine(emulator.DataDirectory, "datasets", dataset + ".json")));
        Assert.Empty(Directory.EnumerateFiles(emulator.DataDirectory, "*.tmp", SearchOption.AllDirectories));
    }
}
