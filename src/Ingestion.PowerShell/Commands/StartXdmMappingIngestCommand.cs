using System.Management.Automation;
using Ingestion.Core.Models;
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

    protected override void ProcessRecord()
    {
        foreach (var mappingId in MappingId)
        {
            if (!ShouldProcess(string.Format(Messages.TargetMapping, mappingId), Messages.ActionStartMappingIngest))
            {
                continue;
            }

            var session = RequireCampaignSession();
            // One mapping refused (not stopped, unknown) does not stop the others.
            if (!TryRun(token => session.Campaign.StartMappingIngestAsync(mappingId, token), mappingId, out var request))
            {
                continue;
            }

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
