using System.Management.Automation;
using Ingestion.Core.EmulatorControl;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Commands;

/// <summary>
/// Starts the local AEP emulator shipped with the module as a background process. Its output binds to
/// Connect-IngestService: <c>Start-IngestEmulator | Connect-IngestService</c>.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "IngestEmulator", SupportsShouldProcess = true)]
[OutputType(typeof(EmulatorInstance))]
public sealed class StartIngestEmulatorCommand : IngestCmdlet
{
    /// <summary>Loopback port; 0 (the default) picks a free one.</summary>
    [Parameter(Position = 0)]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>Where the emulator keeps its datasets and batches; one emulator per directory.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DataDirectory { get; set; }

    /// <summary>Faults the emulator injects on purpose, to try a script against a flaky service (the emulator's <c>--faults</c> syntax).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Faults { get; set; }

    protected override void ProcessRecord()
    {
        var dataDirectory = DataDirectory is null
            ? EmulatorLaunchOptions.DefaultDataDirectory
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(DataDirectory);

        if (EmulatorLauncher.FindRunning(dataDirectory) is { } running)
        {
            WriteRunning(running);
            return;
        }

        if (!ShouldProcess(string.Format(Messages.TargetEmulatorDirectory, dataDirectory), Messages.ActionStartEmulator))
        {
            return;
        }

        var options = new EmulatorLaunchOptions
        {
            Port = Port,
            DataDirectory = dataDirectory,
            EmulatorAssemblyPath = EmulatorAssemblyPath(),
            Faults = Faults,
        };
        // Failing to start leaves nothing to connect to: the error ends the command.
        if (!TryRun(token => StartAsync(options, token), dataDirectory, out var outcome, static _ => true))
        {
            return;
        }

        if (outcome.AlreadyRunning)
        {
            WriteRunning(outcome.Instance);
            return;
        }

        WriteVerbose(string.Format(Messages.EmulatorStarted, outcome.Instance.ProcessId, outcome.Instance.Endpoint, outcome.Instance.DataDirectory, outcome.Instance.LogPath));
        WriteObject(outcome.Instance);
    }

    private static async Task<(EmulatorInstance Instance, bool AlreadyRunning)> StartAsync(EmulatorLaunchOptions options, CancellationToken token)
    {
        try
        {
            return (await EmulatorLauncher.StartAsync(options, token).ConfigureAwait(false), false);
        }
        catch (EmulatorAlreadyRunningException raced)
        {
            // Another start won the race since we looked: its emulator is as good as ours.
            return (raced.Instance, true);
        }
    }

    private void WriteRunning(EmulatorInstance running)
    {
        WriteWarning(string.Format(Messages.EmulatorAlreadyRunning, running.DataDirectory, running.ProcessId, running.Endpoint));
        WriteObject(running);
    }

    /// <summary>The module ships the emulator in its <c>emulator</c> folder.</summary>
    private static string EmulatorAssemblyPath() =>
        Path.Combine(Path.GetDirectoryName(typeof(StartIngestEmulatorCommand).Assembly.Location)!, "emulator", EmulatorLauncher.EmulatorAssemblyName);
}
