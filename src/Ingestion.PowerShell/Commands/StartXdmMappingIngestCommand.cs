using System.Management.Automation;
using Ingestion.Core.Errors;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Completion;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Triggers Campaign Standard to push a published, stopped XDM mapping into Experience Platform. A request already
/// running for the mapping is returned (with a warning) instead of a second trigger; -Wait polls until it ends.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "XdmMappingIngest", SupportsShouldProcess = true)]
[OutputType(typeof(XdmIngestRequest))]
public sealed class StartXdmMappingIngestCommand : IngestSessionCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MappingIdCompleter))]
    public string[] MappingId { get; set; } = null!;

    /// <summary>Waits until the request succeeds, fails or is aborted, and returns that final status.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: how long to wait per mapping; 0 waits until it ends or Ctrl+C.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; }

    protected override void OnBegin()
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) && !Wait)
        {
            WriteWarning(Messages.TimeoutSecNeedsWait);
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var mappingId in MappingId)
        {
            // The session comes first so that -WhatIf names the tenant and the URL; an id the trigger would refuse is
            // refused here, before it is offered to ShouldProcess.
            var session = RequireCampaignSession();
            Uri uri;
            try
            {
                uri = session.Campaign.TriggerUri(mappingId);
            }
            catch (IngestionException ex)
            {
                WriteError(ErrorMapper.ToErrorRecord(ex, mappingId));
                continue;
            }

            if (!ShouldProcess(string.Format(Messages.TargetMappingOnTenant, mappingId, session.CampaignTenant, uri), Messages.ActionStartMappingIngest))
            {
                continue;
            }

            // One mapping refused (not stopped, unknown) does not stop the others.
            if (!TryRun(token => session.Campaign.StartMappingIngestAsync(mappingId, token), mappingId, out var request))
            {
                continue;
            }

            WriteVerbose(string.Format(Messages.MappingSubmitted, mappingId, request.RequestId, request.Status));
            if (request.Status == XdmIngestStatus.InProgress)
            {
                WriteWarning(string.Format(Messages.MappingAlreadyRunning, mappingId, request.RequestId));
            }

            if (!Wait)
            {
                WriteObject(request);
            }
            else if (TryWaitForMapping(mappingId, request.RequestId!.Value, TimeoutSec, out var final))
            {
                WriteMappingStatus(final);
            }
        }
    }
}
