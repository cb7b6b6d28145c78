using System.Management.Automation;
using Ingestion.Core.EmulatorControl;
using Ingestion.PowerShell.Errors;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Stops an emulator started by Start-IngestEmulator, found by its data directory or its process id
/// (both bind from the emulator object: <c>$emulator | Stop-IngestEmulator</c>). Its data stays on disk.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "IngestEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(EmulatorInstance))]
public sealed class StopIngestEmulatorCommand : IngestCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int ProcessId { get; set; }

    /// <summary>The data directory of the emulator to stop; the default data directory when neither this nor -ProcessId is given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? DataDirectory { get; set; }

    /// <summary>Writes the emulator that was stopped, when it was found by its data directory.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var byProcessOnly = DataDirectory is null && ProcessId > 0;
        var dataDirectory = DataDirectory is null
            ? EmulatorLaunchOptions.DefaultDataDirectory
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(DataDirectory);

        // The lock file tells the process for sure; a process id alone may have been reused since.
        var instance = byProcessOnly ? null : EmulatorLauncher.FindRunning(dataDirectory);
        if (instance is not null && ProcessId > 0 && instance.ProcessId != ProcessId)
        {
            instance = null;
        }

        // With a data directory, its lock file decides: a -ProcessId it does not name (say from the object of an
        // emulator that has since exited) may belong to another process by now, and is not stopped.
        if (instance is null && !byProcessOnly)
        {
            WriteWarning(string.Format(Messages.EmulatorNotRunning, string.Format(Messages.TargetEmulatorDirectory, dataDirectory)));
            return;
        }

        var processId = instance?.ProcessId ?? ProcessId;
        var target = instance is null ? string.Format(Messages.TargetEmulatorProcess, processId) : string.Format(Messages.TargetEmulator, processId, instance.DataDirectory);
        if (!ShouldProcess(target, Messages.ActionStopEmulator))
        {
            return;
        }

        // Stop waits up to 10 s for a clean exit: off the pipeline thread, so Ctrl+C still answers.
        if (!TryRun(_ => Task.FromResult(Stop(instance, processId)), target, out var outcome))
        {
            return;
        }

        if (outcome.Refusal is not null)
        {
            WriteError(ErrorMapper.Create(ErrorIds.NotAnEmulator, ErrorCategory.InvalidOperation, outcome.Refusal, processId));
            return;
        }

        if (!outcome.Stopped)
        {
            WriteWarning(string.Format(Messages.EmulatorNotRunning, target));
            return;
        }

        WriteVerbose(string.Format(Messages.EmulatorStopped, processId));
        if (PassThru && instance is not null)
        {
            WriteObject(instance);
        }
    }

    /// <summary>The launcher refuses a process that is not an emulator (the id was reused): that is the user's error, not a crash.</summary>
    private static (bool Stopped, string? Refusal) Stop(EmulatorInstance? instance, int processId)
    {
        try
        {
            return (instance is null ? EmulatorLauncher.Stop(processId) : EmulatorLauncher.Stop(instance), null);
        }
        catch (InvalidOperationException ex)
        {
            return (false, ex.Message);
        }
    }
}
