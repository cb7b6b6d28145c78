using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingestion.Core.Aep;
using Ingestion.Core.Errors;
using Ingestion.Core.Http;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;

namespace Ingestion.Core.Campaign;

/// <summary>
/// Campaign Standard's on-demand XDM mapping ingestion (<c>mc.adobe.io/{tenant}/campaign/dataIngestion/xdmIngestion/{mapping}/ingest</c>):
/// POST triggers it, GET reads a request's status. Campaign answers with a business status in the JSON body
/// (<c>{"requestId","info","status"}</c>), whatever the HTTP status, so the body decides.
/// </summary>
public sealed class CampaignClient
{
    /// <summary>
    /// How the status call names the request. Adobe's page says <c>{"requestId"="&lt;value&gt;"}</c> "in the parameters",
    /// which does not say query string or body; we send the query parameter <c>requestId</c>. Change it here only.
    /// </summary>
    internal const string RequestIdQueryParameter = "requestId";

    private const string NotStoppedText = "is not stopped";
    private const string NotPublishedText = "is not published";
    private const string UnknownTenantText = "Unknown Campaign instance";
    private const int MaxTenantLength = 128;

    /// <summary>The <see cref="IngestionException.ServiceErrorCode"/> of a trigger whose outcome is unknown.</summary>
    private const string TriggerUnconfirmedCode = "ingestion-trigger-unconfirmed";

    private readonly PlatformConnection? connection;
    private readonly string? tenant;
    private readonly TimeProvider time;

    /// <summary>Where mappings this client sees are remembered for completion; none in tests that build a bare client.</summary>
    internal SessionHistory? History { get; init; }

    internal CampaignClient(PlatformConnection? connection, string? tenant, TimeProvider time)
    {
        this.connection = connection;
        this.tenant = tenant;
        this.time = time;
    }

    /// <summary>
    /// Triggers the ingestion of a published, stopped mapping. "Success" comes back as <see cref="XdmIngestStatus.Submitted"/>
    /// (accepted, not finished); "In Progress" as <see cref="XdmIngestStatus.InProgress"/> with the running request's id.
    /// A mapping that is not stopped or not published fails with <see cref="IngestErrorKind.InvalidState"/>, the refused
    /// request as its target and a recommended action; an unknown mapping or tenant with <see cref="IngestErrorKind.NotFound"/>.
    /// </summary>
    /// <remarks>
    /// The POST is never sent twice when the first one may have got through. Campaign answers a second trigger
    /// "In Progress" only while the first request runs; once it has ended, a re-POST starts another ingestion, and no
    /// call lists a mapping's requests to find out which case we are in. So the trigger is retried only when the
    /// attempt surely did nothing (no connection, or 429/503 before Campaign acted). A lost or cut-off answer, an
    /// attempt that timed out, or a gateway 5xx without Campaign's answer ends the call with an error for which
    /// <see cref="IsTriggerUnconfirmed"/> is true: it says a request may have been started and how to check.
    /// </remarks>
    public async Task<XdmIngestRequest> StartMappingIngestAsync(string mappingId, CancellationToken cancellationToken)
    {
        XdmIngestRequest request;
        try
        {
            request = await StartMappingIngestCoreAsync(mappingId, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (IsMappingNotReady(ex))
        {
            // A mapping Campaign refused still exists: remember it, so it completes when the admin has stopped it.
            History?.Record((XdmIngestRequest)ex.Target!);
            throw;
        }

        History?.Record(request);
        return request;
    }

    private async Task<XdmIngestRequest> StartMappingIngestCoreAsync(string mappingId, CancellationToken cancellationToken)
    {
        var (http, instance) = Require();
        ServiceId.Check(mappingId, "MappingId");
        var operation = string.Format(Messages.OpStartMappingIngest, mappingId, instance);
        using var message = Request(http, HttpMethod.Post, PathOf(instance, mappingId)).MarkRetryUnperformed();
        HttpStatusCode status;
        JsonNode body;
        string? requestId;
        try
        {
            (status, body, requestId) = await SendAsync(http, message, operation, mappingId, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestionException ex) when (MayHaveBeenPerformed(ex))
        {
            throw new IngestionException(ex.Kind == IngestErrorKind.Timeout ? IngestErrorKind.Timeout : IngestErrorKind.Unavailable, string.Format(Messages.MappingTriggerUnconfirmed, mappingId, instance, ex.Message), ex)
            {
                StatusCode = ex.StatusCode,
                ServiceErrorCode = TriggerUnconfirmedCode,
                ServiceMessage = ex.ServiceMessage,
                RequestId = ex.RequestId,
                Target = mappingId,
                RecommendedAction = string.Format(Messages.MappingTriggerUnconfirmedAction, mappingId),
            };
        }

        var serviceStatus = AepJson.String(body, "status");
        var info = AepJson.String(body, "info");
        switch (serviceStatus)
        {
            case "Success":
            case "In Progress":
                return new XdmIngestRequest
                {
                    MappingId = mappingId,
                    Tenant = instance,
                    RequestId = RequestIdOf(body) ?? throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.CampaignNoRequestId, operation, serviceStatus)) { StatusCode = status, RequestId = requestId, Target = mappingId },
                    Status = serviceStatus == "Success" ? XdmIngestStatus.Submitted : XdmIngestStatus.InProgress,
                    Info = info,
                };
            case "Failed":
                throw Refused(operation, mappingId, instance, status, info, requestId, new XdmIngestRequest { MappingId = mappingId, Tenant = instance, Status = XdmIngestStatus.Failed, Info = info, RequestId = RequestIdOf(body) });
            default:
                throw Unexpected(operation, mappingId, status, serviceStatus, requestId);
        }
    }

    /// <summary>
    /// Where the trigger of <paramref name="mappingId"/> goes (<c>POST</c>), after checking the id as the trigger does:
    /// so that -WhatIf names the tenant and URL, and an id the trigger would refuse is refused before it is offered.
    /// </summary>
    public Uri TriggerUri(string mappingId)
    {
        var (http, instance) = Require();
        ServiceId.Check(mappingId, "MappingId");
        return new Uri(http.Endpoint, PathOf(instance, mappingId));
    }

    /// <summary>The status of one request (<c>GET …/ingest?requestId=</c>): In Progress, Success, Failed or Aborted; a failure is data, not an error.</summary>
    public async Task<XdmIngestRequest> GetMappingIngestAsync(string mappingId, long requestId, CancellationToken cancellationToken)
    {
        var request = await GetMappingIngestCoreAsync(mappingId, requestId, cancellationToken).ConfigureAwait(false);
        History?.Record(request);
        return request;
    }

    private async Task<XdmIngestRequest> GetMappingIngestCoreAsync(string mappingId, long requestId, CancellationToken cancellationToken)
    {
        var (http, instance) = Require();
        ServiceId.Check(mappingId, "MappingId");
        var operation = string.Format(Messages.OpGetMappingIngest, mappingId, requestId, instance);
        var path = $"{PathOf(instance, mappingId)}?{RequestIdQueryParameter}={requestId.ToString(CultureInfo.InvariantCulture)}";
        using var message = Request(http, HttpMethod.Get, path).MarkIdempotent();
        var (status, body, serviceRequestId) = await SendAsync(http, message, operation, mappingId, cancellationToken).ConfigureAwait(false);
        var serviceStatus = AepJson.String(body, "status");
        var info = AepJson.String(body, "info");
        var reported = RequestIdOf(body);

        // A non-2xx answer is a status only when it names the request; otherwise it is an error about the call.
        if (!IsSuccess(status) && reported is null)
        {
            throw Refused(operation, mappingId, instance, status, info, serviceRequestId, null, notFoundAction: Messages.RequestNotFoundAction);
        }

        XdmIngestStatus parsed = serviceStatus switch
        {
            "In Progress" => XdmIngestStatus.InProgress,
            "Success" => XdmIngestStatus.Success,
            "Failed" => XdmIngestStatus.Failed,
            "Aborted" => XdmIngestStatus.Aborted,
            _ => throw Unexpected(operation, mappingId, status, serviceStatus, serviceRequestId),
        };
        return new XdmIngestRequest
        {
            MappingId = mappingId,
            Tenant = instance,
            RequestId = reported ?? requestId,
            Status = parsed,
            Info = info,
            NumRecords = AepJson.Long(body, "numRecords"),
            AepBatchId = AepJson.String(body, "batchId") is { Length: > 0 } batch ? batch : null,
        };
    }

    /// <summary>Polls the request until Success, Failed or Aborted, as <c>CatalogClient.WaitForBatchAsync</c> polls a batch.</summary>
    public Task<XdmIngestRequest> WaitForMappingIngestAsync(string mappingId, long requestId, WaitOptions options, IProgress<XdmIngestRequest>? progress, CancellationToken cancellationToken)
    {
        Require();
        return Polling.UntilTerminalAsync(
            token => GetMappingIngestAsync(mappingId, requestId, token),
            request => request.IsTerminal,
            (last, elapsed) => new IngestionException(IngestErrorKind.Timeout, string.Format(Messages.MappingWaitTimedOut, mappingId, requestId, last.Status, elapsed.TotalSeconds))
            {
                Target = last,
                RecommendedAction = string.Format(Messages.MappingWaitTimedOutAction, mappingId, requestId),
            },
            options,
            progress,
            time,
            cancellationToken);
    }

    /// <summary>
    /// True for a trigger whose answer never came (lost, cut off, timed out, or a gateway 5xx instead of Campaign's
    /// answer): Campaign may have started a request, and the POST was not sent again so that it cannot start a second.
    /// </summary>
    public static bool IsTriggerUnconfirmed(IngestionException exception) =>
        exception is { ServiceErrorCode: TriggerUnconfirmedCode, Kind: IngestErrorKind.Unavailable or IngestErrorKind.Timeout };

    /// <summary>
    /// A failed send whose request may have reached Campaign: no answer at all (after the handler's retries of
    /// attempts that surely did nothing), or an error status other than 429/503 that is not Campaign's own answer.
    /// </summary>
    private static bool MayHaveBeenPerformed(IngestionException exception) =>
        exception.StatusCode is null
            ? exception.Kind is IngestErrorKind.Unavailable or IngestErrorKind.Timeout
            : (int)exception.StatusCode.Value is >= 500 and not 503;

    /// <summary>True for the failure of a trigger refused because the mapping is not published or not stopped.</summary>
    public static bool IsMappingNotReady(IngestionException exception) =>
        exception is { Kind: IngestErrorKind.InvalidState, Target: XdmIngestRequest };

    internal static string CheckTenant(string tenant)
    {
        if (tenant.Length > MaxTenantLength || !tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.TenantInvalid, tenant)) { Target = tenant };
        }

        return tenant;
    }

    private (PlatformConnection Http, string Tenant) Require()
    {
        if (connection is null || tenant is null)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, Messages.SessionHasNoTenant) { RecommendedAction = Messages.SessionHasNoTenantAction };
        }

        return (connection, tenant);
    }

    private static string PathOf(string tenant, string mappingId) =>
        $"{tenant}/campaign/dataIngestion/xdmIngestion/{mappingId}/ingest";

    private static HttpRequestMessage Request(PlatformConnection http, HttpMethod method, string path)
    {
        // Campaign documents Content-Type: application/json on every call; it rides on an empty body.
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = http.Request(method, path, content);
        request.Options.Set(IngestRequestOptions.Campaign, true);
        return request;
    }

    /// <summary>Sends and reads the JSON body whatever the status; a body that is not Campaign's shape becomes the usual service error.</summary>
    private static async Task<(HttpStatusCode Status, JsonNode Body, string? RequestId)> SendAsync(PlatformConnection http, HttpRequestMessage message, string operation, string mappingId, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(message, operation, mappingId, cancellationToken, null, Enumerable.Range(100, 500).ToArray()).ConfigureAwait(false);
        using (response)
        {
            var status = response.StatusCode;
            var requestId = ServiceErrorReader.RequestIdOf(response);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? body = null;
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
            }

            // Campaign's status is a word; problem JSON from a gateway carries a number there ({"status": 404, "title": …}).
            if (body is JsonObject json && json["status"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                return (status, json, requestId);
            }

            // Not Campaign's shape: a gateway error ({"error_code","message"}), an HTML page, an empty body.
            var retold = new HttpResponseMessage(status) { RequestMessage = response.RequestMessage, ReasonPhrase = response.ReasonPhrase, Content = new StringContent(text) };
            retold.Content.Headers.ContentType = response.Content.Headers.ContentType;
            foreach (var header in response.Headers)
            {
                retold.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            using (retold)
            {
                if (IsSuccess(status))
                {
                    throw new IngestionException(IngestErrorKind.UnexpectedResponse, string.Format(Messages.UnexpectedBody, operation, (int)status)) { StatusCode = status, RequestId = requestId, Target = mappingId };
                }

                var error = await ServiceErrorReader.ReadAsync(retold, operation, mappingId, cancellationToken).ConfigureAwait(false);
                if (error.Kind == IngestErrorKind.PermissionDenied)
                {
                    throw new IngestionException(error.Kind, error.Message) { StatusCode = error.StatusCode, ServiceErrorCode = error.ServiceErrorCode, ServiceMessage = error.ServiceMessage, RequestId = error.RequestId, Target = mappingId, RecommendedAction = Messages.CampaignPermissionAction };
                }

                throw error;
            }
        }
    }

    /// <summary>A "Failed" answer (or an error status with Campaign's body) as an exception with a kind and an action that fit its text.</summary>
    private static IngestionException Refused(string operation, string mappingId, string tenant, HttpStatusCode status, string? info, string? requestId, XdmIngestRequest? refused, string? notFoundAction = null)
    {
        // Campaign refuses with "status":"Failed" in a 200 as well: an HTTP status is only worth naming when it is an error.
        var text = (int)status >= 400
            ? string.Format(Messages.CampaignFailed, operation, (int)status, info ?? Messages.CampaignNoInfo)
            : string.Format(Messages.CampaignRefused, operation, info ?? Messages.CampaignNoInfo);
        IngestErrorKind kind;
        string? action;
        object target = mappingId;
        if (info?.Contains(NotStoppedText, StringComparison.OrdinalIgnoreCase) == true)
        {
            (kind, action, target) = (IngestErrorKind.InvalidState, string.Format(Messages.MappingNotStoppedAction, mappingId), refused ?? (object)mappingId);
        }
        else if (info?.Contains(NotPublishedText, StringComparison.OrdinalIgnoreCase) == true)
        {
            (kind, action, target) = (IngestErrorKind.InvalidState, string.Format(Messages.MappingNotPublishedAction, mappingId), refused ?? (object)mappingId);
        }
        else if (info?.Contains(UnknownTenantText, StringComparison.OrdinalIgnoreCase) == true)
        {
            (kind, action, target) = (IngestErrorKind.NotFound, Messages.TenantNotFoundAction, tenant);
        }
        else
        {
            kind = IsSuccess(status) ? IngestErrorKind.Service : ServiceErrorReader.KindOf(status);
            action = kind switch
            {
                IngestErrorKind.NotFound => notFoundAction ?? Messages.MappingNotFoundAction,
                IngestErrorKind.PermissionDenied => Messages.CampaignPermissionAction,
                IngestErrorKind.Authentication => Messages.ActionAuthentication,
                _ => null,
            };
        }

        return new IngestionException(kind, text)
        {
            StatusCode = status,
            ServiceMessage = info,
            ServiceErrorCode = XdmIngestRequest.ParseErrorCode(info),
            RequestId = requestId,
            Target = target,
            RecommendedAction = action,
        };
    }

    private static IngestionException Unexpected(string operation, string mappingId, HttpStatusCode status, string? serviceStatus, string? requestId) =>
        new(IngestErrorKind.UnexpectedResponse, string.Format(Messages.CampaignUnknownStatus, operation, serviceStatus))
        {
            StatusCode = status,
            RequestId = requestId,
            Target = mappingId,
        };

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static long? RequestIdOf(JsonNode? body) =>
        body?["requestId"] is JsonValue value
            ? value.TryGetValue<long>(out var number) ? number
            : value.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : null
            : null;
}
