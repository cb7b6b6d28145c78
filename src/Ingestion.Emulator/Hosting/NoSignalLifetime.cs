using Microsoft.Extensions.Hosting;

namespace Ingestion.Emulator.Hosting;

/// <summary>
/// Replaces the console lifetime, which would take over Ctrl+C and SIGTERM for the whole process: inside a
/// test run or a PowerShell session the emulator must not react to the host's signals. The executable
/// handles its own signals in <c>Program</c>.
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
