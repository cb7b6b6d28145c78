using System.Management.Automation;
using Ingestion.Core.Sessions;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>Closes a session (the default one when -Session is omitted) and forgets it as the default.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "IngestService")]
[OutputType(typeof(IngestSession))]
public sealed class DisconnectIngestServiceCommand : IngestSessionCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var session = Session ?? SessionStore.Default;
        if (session is null)
        {
            WriteVerbose(Messages.NothingToDisconnect);
            return;
        }

        SessionStore.ClearIf(session);
        session.Dispose();
        WriteVerbose(string.Format(Messages.Disconnected, session));
        if (PassThru)
        {
            WriteObject(session);
        }
    }
}
