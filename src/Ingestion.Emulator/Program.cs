using System.Runtime.InteropServices;
using System.Text;
using Ingestion.Emulator;
using Ingestion.Emulator.Hosting;
using Microsoft.Extensions.Logging;

CommandLine commandLine;
try
{
    commandLine = CommandLine.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"Ingestion.Emulator: {ex.Message}");
    Console.Error.WriteLine("Run 'Ingestion.Emulator --help' for the list of options.");
    return 2;
}

if (commandLine.Help)
{
    Console.Out.WriteLine(CommandLine.Usage);
    return 0;
}

using var sink = new LogSink(Console.Out);
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var signals = new List<PosixSignalRegistration>();
foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT, PosixSignal.SIGHUP })
{
    signals.Add(PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;

        // Detached, the emulator shares the launching shell's process group: a Ctrl+C typed there or the
        // terminal closing is not meant for it. Launchers stop it with SIGTERM.
        if (commandLine.Detached && signal != PosixSignal.SIGTERM)
        {
            return;
        }

        stop.TrySetResult();
    }));
}

EmulatorHost host;
try
{
    host = await EmulatorHost.StartAsync(
        commandLine.Options,
        logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddProvider(new LogSinkProvider(sink, TimeProvider.System)),
        CancellationToken.None);
}
catch (Exception ex) when (ex is EmulatorStartException or ArgumentException)
{
    sink.Release(null);
    Console.Error.WriteLine($"Ingestion.Emulator: {ex.Message}");
    return 1;
}

await using (host)
{
    // Log lines are still held back, so the ready line is the first line on stdout.
    Console.Out.Write(ReadyLine.For(host) + "\n");
    Console.Out.Flush();
    if (commandLine.LogFile is { } logFile)
    {
        var path = Path.GetFullPath(logFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        sink.RedirectTo(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true });
    }

    sink.Release(null);

    sink.Write($"Ingestion emulator {EmulatorHost.Version} listening on {host.Endpoint} (data: {host.DataDirectory}). Press Ctrl+C to stop.{Environment.NewLine}");
    await stop.Task;
    sink.Write($"Stopping...{Environment.NewLine}");
}

foreach (var registration in signals)
{
    registration.Dispose();
}

return 0;
