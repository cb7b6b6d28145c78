using System.Management.Automation;
using System.Net;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Errors;

namespace Ingestion.PowerShell.Tests;

/// <summary>Engine failures map to stable ErrorIds and the categories of the style guide.</summary>
public sealed class ErrorMapperTests
{
    [Theory]
    [InlineData(IngestErrorKind.Authentication, 401, ErrorIds.AuthenticationFailed, ErrorCategory.PermissionDenied)]
    [InlineData(IngestErrorKind.PermissionDenied, 403, ErrorIds.PermissionDenied, ErrorCategory.PermissionDenied)]
    [InlineData(IngestErrorKind.NotFound, 404, ErrorIds.NotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(IngestErrorKind.InvalidState, 409, ErrorIds.InvalidState, ErrorCategory.InvalidOperation)]
    [InlineData(IngestErrorKind.InvalidArgument, 400, ErrorIds.InvalidArgument, ErrorCategory.InvalidData)]
    [InlineData(IngestErrorKind.InvalidArgument, null, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument)]
    [InlineData(IngestErrorKind.Timeout, 504, ErrorIds.RequestTimeout, ErrorCategory.OperationTimeout)]
    [InlineData(IngestErrorKind.RateLimited, 429, ErrorIds.RateLimited, ErrorCategory.LimitsExceeded)]
    [InlineData(IngestErrorKind.Unavailable, 503, ErrorIds.ServiceUnavailable, ErrorCategory.ResourceUnavailable)]
    [InlineData(IngestErrorKind.UnexpectedResponse, 200, ErrorIds.UnexpectedResponse, ErrorCategory.InvalidResult)]
    [InlineData(IngestErrorKind.InvalidData, null, ErrorIds.InvalidData, ErrorCategory.InvalidData)]
    [InlineData(IngestErrorKind.Service, 418, ErrorIds.ServiceError, ErrorCategory.NotSpecified)]
    [InlineData(IngestErrorKind.Service, 409, ErrorIds.ServiceError, ErrorCategory.ResourceExists)]
    [InlineData(IngestErrorKind.Service, 502, ErrorIds.ServiceError, ErrorCategory.ResourceUnavailable)]
    public void KindAndStatusPickIdAndCategory(IngestErrorKind kind, int? status, string errorId, ErrorCategory category)
    {
        var exception = new IngestionException(kind, "failed") { StatusCode = (HttpStatusCode?)status };
        Assert.Equal((errorId, category), ErrorMapper.Classify(exception));
    }

    [Fact]
    public void EveryKindHasItsOwnErrorId()
    {
        var ids = Enum.GetValues<IngestErrorKind>().Select(k => ErrorMapper.Classify(new IngestionException(k, "x")).ErrorId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void DataCloudJobLimitsHaveTheirOwnIds()
    {
        var limit = new IngestionException(IngestErrorKind.RateLimited, "5 open") { ServiceErrorCode = "JobLimitReached" };
        Assert.Equal((ErrorIds.JobLimitReached, ErrorCategory.LimitsExceeded), ErrorMapper.Classify(limit));
        var files = new IngestionException(IngestErrorKind.InvalidState, "100 files") { ServiceErrorCode = Ingestion.Core.DataCloud.DataCloudClient.JobFileLimitCode };
        Assert.Equal((ErrorIds.JobFileLimitReached, ErrorCategory.LimitsExceeded), ErrorMapper.Classify(files));

        // The service's own 429 and 409 keep the generic ids.
        var service429 = new IngestionException(IngestErrorKind.RateLimited, "429") { StatusCode = (HttpStatusCode)429, ServiceErrorCode = "JobLimitReached" };
        Assert.Equal(ErrorIds.RateLimited, ErrorMapper.Classify(service429).ErrorId);
    }

    [Fact]
    public void ADataCloudWaitThatRanOutIsWaitTimeout()
    {
        var last = new Ingestion.Core.DataCloud.DataCloudJob { Id = "J1", State = "InProgress" };
        var exception = new IngestionException(IngestErrorKind.Timeout, "still running") { Target = last };
        Assert.Equal((ErrorIds.WaitTimeout, ErrorCategory.OperationTimeout), ErrorMapper.Classify(exception));
    }

    [Fact]
    public void AWaitThatRanOutIsWaitTimeout()
    {
        var last = new IngestStatus { Id = "B1", Status = BatchStatus.Processing };
        var exception = new IngestionException(IngestErrorKind.Timeout, "still processing") { Target = last };
        Assert.Equal((ErrorIds.WaitTimeout, ErrorCategory.OperationTimeout), ErrorMapper.Classify(exception));
    }

    [Fact]
    public void ACampaignWaitThatRanOutIsWaitTimeout()
    {
        var last = new XdmIngestRequest { MappingId = "m", RequestId = 12, Status = XdmIngestStatus.InProgress };
        var exception = new IngestionException(IngestErrorKind.Timeout, "still running") { Target = last };
        Assert.Equal((ErrorIds.WaitTimeout, ErrorCategory.OperationTimeout), ErrorMapper.Classify(exception));
    }

    [Fact]
    public void AMappingThatIsNotStoppedOrPublishedIsMappingNotReadyWithItsAction()
    {
        var refused = new XdmIngestRequest { MappingId = "m", Status = XdmIngestStatus.Failed, Info = "XDM Mapping ID: m is not stopped" };
        var exception = new IngestionException(IngestErrorKind.InvalidState, "refused") { Target = refused, RecommendedAction = "stop it" };
        Assert.Equal((ErrorIds.MappingNotReady, ErrorCategory.InvalidOperation), ErrorMapper.Classify(exception));
        Assert.Equal("stop it", ErrorMapper.Describe(exception, "m").RecommendedAction);

        // Any other refused state stays InvalidState.
        Assert.Equal(ErrorIds.InvalidState, ErrorMapper.Classify(new IngestionException(IngestErrorKind.InvalidState, "x") { Target = "m" }).ErrorId);
    }

    [Fact]
    public void ATriggerWhoseAnswerNeverCameIsMappingTriggerUnconfirmedNotAPlainOutage()
    {
        var unconfirmed = new IngestionException(IngestErrorKind.Unavailable, "may have started") { ServiceErrorCode = "ingestion-trigger-unconfirmed", Target = "m" };
        Assert.Equal((ErrorIds.MappingTriggerUnconfirmed, ErrorCategory.ResourceUnavailable), ErrorMapper.Classify(unconfirmed));
        var timedOut = new IngestionException(IngestErrorKind.Timeout, "may have started") { ServiceErrorCode = "ingestion-trigger-unconfirmed", Target = "m" };
        Assert.Equal((ErrorIds.MappingTriggerUnconfirmed, ErrorCategory.OperationTimeout), ErrorMapper.Classify(timedOut));

        // Any other outage stays ServiceUnavailable.
        Assert.Equal(ErrorIds.ServiceUnavailable, ErrorMapper.Classify(new IngestionException(IngestErrorKind.Unavailable, "x")).ErrorId);
    }

    [Fact]
    public void ABatchWithoutErrorDiagnosticsIsDiagnosticsNotEnabled()
    {
        var exception = new IngestionException(IngestErrorKind.InvalidState, "no diagnostics") { StatusCode = HttpStatusCode.BadRequest, ServiceErrorCode = "INGEST-1211-400" };
        Assert.Equal((ErrorIds.DiagnosticsNotEnabled, ErrorCategory.NotEnabled), ErrorMapper.Classify(exception));
    }

    [Theory]
    [InlineData(typeof(OperationCanceledException), ErrorIds.OperationCanceled, ErrorCategory.OperationStopped)]
    [InlineData(typeof(UnauthorizedAccessException), ErrorIds.FileAccessDenied, ErrorCategory.PermissionDenied)]
    [InlineData(typeof(FileNotFoundException), ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(typeof(IOException), ErrorIds.FileReadFailed, ErrorCategory.ReadError)]
    [InlineData(typeof(InvalidCastException), ErrorIds.UnexpectedError, ErrorCategory.NotSpecified)]
    public void OtherExceptionsHaveIdsToo(Type type, string errorId, ErrorCategory category) =>
        Assert.Equal((errorId, category), ErrorMapper.Classify((Exception)Activator.CreateInstance(type)!));

    [Theory]
    [InlineData(IngestErrorKind.Authentication, true)]
    [InlineData(IngestErrorKind.PermissionDenied, true)]
    [InlineData(IngestErrorKind.NotFound, false)]
    [InlineData(IngestErrorKind.Unavailable, false)]
    public void OnlyCredentialFailuresEndTheCommandByThemselves(IngestErrorKind kind, bool ends) =>
        Assert.Equal(ends, ErrorMapper.EndsCommand(new IngestionException(kind, "x")));

    [Fact]
    public void ErrorIdsAreSingleWords()
    {
        foreach (var field in typeof(ErrorIds).GetFields())
        {
            var value = (string)field.GetRawConstantValue()!;
            Assert.Equal(field.Name, value);
            Assert.Matches("^[A-Z][A-Za-z]+$", value);
        }
    }

    [Fact]
    public void TheEngineTargetWinsAndTheActionGoesIntoErrorDetails()
    {
        var exception = new IngestionException(IngestErrorKind.Authentication, "IMS refused the credentials")
        {
            Target = "/data/a.json",
            RequestId = "req-42",
            RecommendedAction = "Run Connect-IngestService again.",
        };

        var description = ErrorMapper.Describe(exception, "fallback");

        Assert.Equal("/data/a.json", description.Target);
        Assert.Equal("Run Connect-IngestService again.", description.RecommendedAction);
        Assert.StartsWith("IMS refused the credentials", description.DetailsMessage);
        Assert.Contains("req-42", description.DetailsMessage);
    }

    [Fact]
    public void WithoutAnEngineTargetTheCallersTargetIsUsed()
    {
        var description = ErrorMapper.Describe(new IngestionException(IngestErrorKind.NotFound, "gone"), "BATCH1");
        Assert.Equal("BATCH1", description.Target);
        Assert.Null(description.DetailsMessage);
    }
}
