using System.Globalization;
using System.Text.Json.Nodes;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Http;
using Ingestion.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Campaign;

/// <summary>
/// Campaign Standard's XDM mapping ingestion: <c>POST /{tenant}/campaign/dataIngestion/xdmIngestion/{mappingId}/ingest</c>
/// triggers an ingestion of the mapping, <c>GET</c> on the same path with <c>?requestId=n</c> reports on it.
/// Adobe documents the bodies but no HTTP statuses: every documented answer is 200 (the body's <c>status</c> tells
/// success from refusal), and the undocumented ones (unknown tenant, mapping or request, a missing requestId) are
/// 404 or 400 with the same <c>{"status":"Failed","info":"…"}</c> shape. Absent fields are left out, never null.
/// The gateway has already checked the token and the API key.
/// </summary>
internal sealed class CampaignEndpoints(EmulatorContext emulator)
{
    public const string Route = "/{tenant}/campaign/dataIngestion/xdmIngestion/{mappingId}/ingest";

    public async Task TriggerAsync(HttpContext context)
    {
        // The trigger has no documented body: an empty one, {} or anything else is ignored.
        var mapping = await FindMappingAsync(context);
        if (mapping is null)
        {
            return;
        }

        if (!mapping.Published)
        {
            await RefuseAsync(context, CampaignMessages.NotPublished(mapping.Id));
            return;
        }

        if (!mapping.Stopped)
        {
            await RefuseAsync(context, CampaignMessages.NotStopped(mapping.Id));
            return;
        }

        var (request, submitted) = await emulator.CampaignRequests.TriggerAsync(mapping, emulator.Time.GetUtcNow(), context.RequestAborted);
        if (submitted)
        {
            // The request is recorded: its batch is written whatever happens to this call, as a real upload would be.
            await CampaignBatches.CreateFailedAsync(emulator, request, CancellationToken.None);
        }

        await HttpJson.WriteAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["requestId"] = request.RequestId,
            ["info"] = submitted ? CampaignMessages.Submitted(mapping.Id) : CampaignMessages.AlreadyInProgress(mapping.Id),
            ["status"] = submitted ? CampaignMessages.Success : CampaignMessages.InProgress,
        });
    }

    public async Task StatusAsync(HttpContext context)
    {
        var mapping = await FindMappingAsync(context);
        if (mapping is null)
        {
            return;
        }

        var text = context.Request.Query["requestId"].ToString();
        if (text.Length == 0)
        {
            await FailedAsync(context, StatusCodes.Status400BadRequest, CampaignMessages.RequestIdRequired);
            return;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var requestId))
        {
            await FailedAsync(context, StatusCodes.Status400BadRequest, CampaignMessages.InvalidRequestId(text));
            return;
        }

        var request = emulator.CampaignRequests.Find(mapping.Tenant, mapping.Id, requestId);
        if (request is null)
        {
            await FailedAsync(context, StatusCodes.Status404NotFound, CampaignMessages.UnknownRequest(requestId, mapping.Id));
            return;
        }

        await HttpJson.WriteAsync(context, StatusCodes.Status200OK, Status(request, emulator.NowMs));
    }

    /// <summary><c>{batchId, info, numRecords, requestId, status}</c>, each field only when it has a value.</summary>
    internal static JsonObject Status(CampaignRequest request, long nowMs)
    {
        string status, info;
        long? numRecords = null;
        string? batchId = null;
        if (!request.IsFinishedAt(nowMs))
        {
            (status, info) = (CampaignMessages.InProgress, CampaignMessages.Running(request.MappingId));
        }
        else
        {
            switch (request.Outcome)
            {
                case "failure":
                    (status, info) = (CampaignMessages.Failed, CampaignMessages.Failure(request.ErrorCode!, request.ErrorMessage!));
                    batchId = request.BatchId;
                    break;
                case "abort":
                    (status, info) = (CampaignMessages.Aborted, CampaignMessages.Abort(request.MappingId, request.AbortAfterRecords));
                    break;
                default:
                    (status, info) = (CampaignMessages.Success, CampaignMessages.Completed(request.MappingId));
                    numRecords = request.Records;
                    break;
            }
        }

        var body = new JsonObject();
        if (batchId is not null)
        {
            body["batchId"] = batchId;
        }

        body["info"] = info;
        if (numRecords is not null)
        {
            body["numRecords"] = numRecords;
        }

        body["requestId"] = request.RequestId;
        body["status"] = status;
        return body;
    }

    /// <summary>The tenant, then the mapping; answers 404 and returns null when either is unknown.</summary>
    private async Task<CampaignMapping?> FindMappingAsync(HttpContext context)
    {
        var tenant = (string)context.Request.RouteValues["tenant"]!;
        var mappingId = (string)context.Request.RouteValues["mappingId"]!;
        if (!emulator.Campaign.HasTenant(tenant))
        {
            await FailedAsync(context, StatusCodes.Status404NotFound, CampaignMessages.UnknownTenant(tenant));
            return null;
        }

        var mapping = emulator.Campaign.Find(tenant, mappingId);
        if (mapping is null)
        {
            await FailedAsync(context, StatusCodes.Status404NotFound, CampaignMessages.UnknownMapping(mappingId));
        }

        return mapping;
    }

    private static Task RefuseAsync(HttpContext context, string info) => FailedAsync(context, StatusCodes.Status200OK, info);

    private static Task FailedAsync(HttpContext context, int status, string info) =>
        HttpJson.WriteAsync(context, status, new JsonObject { ["info"] = info, ["status"] = CampaignMessages.Failed });
}
