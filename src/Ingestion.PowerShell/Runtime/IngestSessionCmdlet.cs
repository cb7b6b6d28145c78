using System.Management.Automation;
using Ingestion.Core;
using Ingestion.Core.DataCloud;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Errors;

namespace Ingestion.PowerShell.Runtime;

/// <summary>A cmdlet that talks to the service: takes -Session, or the default session of Connect-IngestService.</summary>
public abstract class IngestSessionCmdlet : IngestCmdlet
{
    private IngestSession? resolved;

    /// <summary>The connection to use; the one Connect-IngestService made last when omitted.</summary>
    [Parameter]
    [ValidateNotNull]
    public IngestSession? Session { get; set; }

    /// <summary>Looked up on first use, so -WhatIf and empty input need no connection.</summary>
    internal IngestSession RequireSession()
    {
        resolved ??= Session ?? SessionStore.Default;
        if (resolved is null)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.NoSession, ErrorCategory.ConnectionError, Messages.NoSession, null));
        }

        if (resolved!.IsClosed)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.NoSession, ErrorCategory.ConnectionError, string.Format(Messages.SessionClosed, resolved), resolved));
        }

        return resolved!;
    }

    /// <summary>
    /// The session, which must reach Experience Platform (or Data Cloud, for the verbs that serve both): a session
    /// opened with -Platform Campaign has no organization or sandbox, so the command ends before any request, once for
    /// all its input, naming the session and how to connect. The HTTP handler's own check stays as a backstop.
    /// </summary>
    internal IngestSession RequireAepSession()
    {
        var session = RequireSession();
        if (session.Platform == IngestPlatform.Campaign)
        {
            var record = ErrorMapper.Create(ErrorIds.NotAepSession, ErrorCategory.ConnectionError, string.Format(Messages.NotAepSession, session), session);
            record.ErrorDetails = new ErrorDetails(record.Exception.Message) { RecommendedAction = Messages.NotAepSessionAction };
            ThrowTerminatingError(record);
        }

        return session;
    }

    /// <summary>Polls Catalog until the batch is terminal, showing a progress bar; false after writing the error.</summary>
    internal bool TryWaitForBatch(string batchId, int timeoutSec, out IngestStatus status, Func<Exception, bool>? endsCommand = null)
    {
        var session = RequireAepSession();
        var options = new WaitOptions { Timeout = timeoutSec > 0 ? TimeSpan.FromSeconds(timeoutSec) : null };
        var progress = new BatchWaitProgress(Bridge, batchId, options.Timeout);
        try
        {
            return TryRun(token => session.Catalog.WaitForBatchAsync(batchId, options, progress, token), batchId, out status!, endsCommand);
        }
        finally
        {
            if (!Stopping)
            {
                Bridge.Complete(this, ProgressActivity.WaitBatch, progress.Activity);
            }
        }
    }

    /// <summary>Writes a waited-for status; one that ended badly also gets a warning, since scripts often only look at errors.</summary>
    internal void WriteBatchStatus(IngestStatus status)
    {
        if (!status.IsSuccess)
        {
            var reason = status.Errors.Count > 0 ? status.Errors[0].ToString() : Messages.NoErrorGiven;
            WriteWarning(string.Format(Messages.BatchNotSuccessful, status.Id, status.Status.ToCatalogValue(), reason));
        }

        WriteObject(status);
    }

    /// <summary>The session, which must serve Campaign (have a tenant): otherwise the command ends naming -Tenant.</summary>
    internal IngestSession RequireCampaignSession()
    {
        var session = RequireSession();
        if (session.CampaignTenant is null)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.NoCampaignTenant, ErrorCategory.ConnectionError, string.Format(Messages.NoCampaignTenant, session), session));
        }

        return session;
    }

    /// <summary>Polls Campaign until the ingestion request is terminal, showing a progress bar; false after writing the error.</summary>
    internal bool TryWaitForMapping(string mappingId, long requestId, int timeoutSec, out XdmIngestRequest request)
    {
        var session = RequireCampaignSession();
        var options = new WaitOptions { Timeout = timeoutSec > 0 ? TimeSpan.FromSeconds(timeoutSec) : null };
        var progress = new MappingWaitProgress(Bridge, mappingId, requestId, options.Timeout);
        try
        {
            return TryRun(token => session.Campaign.WaitForMappingIngestAsync(mappingId, requestId, options, progress, token), mappingId, out request!);
        }
        finally
        {
            if (!Stopping)
            {
                Bridge.Complete(this, ProgressActivity.WaitMapping, progress.Activity);
            }
        }
    }

    /// <summary>Writes a waited-for request; Failed and Aborted also get a warning (they are results, not errors).</summary>
    internal void WriteMappingStatus(XdmIngestRequest request)
    {
        if (request.Status == XdmIngestStatus.Failed)
        {
            var batch = request.AepBatchId is null ? string.Empty : string.Format(Messages.MappingIngestFailedBatch, request.AepBatchId);
            WriteWarning(string.Format(Messages.MappingIngestFailed, request.MappingId, request.RequestId, request.Info ?? Messages.NoErrorGiven, batch));
        }
        else if (request.Status == XdmIngestStatus.Aborted)
        {
            var info = (request.Info ?? Messages.NoErrorGiven).TrimEnd();
            WriteWarning(string.Format(Messages.MappingIngestAborted, request.MappingId, request.RequestId, info, info.EndsWith('.') || info.EndsWith('!') || info.EndsWith('?') ? string.Empty : "."));
        }

        WriteObject(request);
    }

    /// <summary>True when the session (given or default) is a Data Cloud session; false without one (RequireSession reports that).</summary>
    internal bool IsDataCloud => RequireSession().Platform == IngestPlatform.DataCloud;

    /// <summary>The session, which must be a Data Cloud session: otherwise the command ends naming Connect-IngestService -Platform DataCloud.</summary>
    internal IngestSession RequireDataCloudSession()
    {
        var session = RequireSession();
        if (session.Platform != IngestPlatform.DataCloud)
        {
            ThrowTerminatingError(ErrorMapper.Create(ErrorIds.NotDataCloudSession, ErrorCategory.ConnectionError, string.Format(Messages.NotDataCloudSession, session), session));
        }

        return session;
    }

    /// <summary>Polls a Data Cloud job until JobComplete, Failed or Aborted, showing a progress bar; false after writing the error.</summary>
    internal bool TryWaitForJob(string jobId, int timeoutSec, out DataCloudJob job, Func<Exception, bool>? endsCommand = null)
    {
        var session = RequireDataCloudSession();
        var options = new WaitOptions { Timeout = timeoutSec > 0 ? TimeSpan.FromSeconds(timeoutSec) : null };
        var progress = new JobWaitProgress(Bridge, jobId, options.Timeout);
        try
        {
            return TryRun(token => session.DataCloud.WaitForJobAsync(jobId, options, progress, token), jobId, out job!, endsCommand);
        }
        finally
        {
            if (!Stopping)
            {
                Bridge.Complete(this, ProgressActivity.WaitBatch, progress.Activity);
            }
        }
    }

    /// <summary>Writes a waited-for job; Failed and Aborted also get a warning, since scripts often only look at errors.</summary>
    internal void WriteJobStatus(DataCloudJob job)
    {
        if (!job.IsSuccess)
        {
            WriteWarning(string.Format(Messages.DataCloudJobNotSuccessful, job.Id, job.State));
        }

        WriteObject(job);
    }

    /// <summary>A batch that does not exist means the input is wrong, not one item of it: stop.</summary>
    internal static bool NotFoundEndsCommand(Exception exception) =>
        exception is Core.Errors.IngestionException { Kind: Core.Errors.IngestErrorKind.NotFound };
}
