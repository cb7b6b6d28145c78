namespace Ingestion.Core.EmulatorControl;

/// <summary>The emulator cannot run on this machine: no <c>dotnet</c>, no suitable ASP.NET Core runtime, or no emulator files.</summary>
public sealed class EmulatorUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>The emulator process started but did not become ready; <see cref="Output"/> holds the last lines it printed.</summary>
public sealed class EmulatorLaunchException(string message, string output, Exception? innerException = null) : Exception(message, innerException)
{
    public string Output { get; } = output;
}

/// <summary>An emulator already serves the data directory; <see cref="Instance"/> is that emulator.</summary>
public sealed class EmulatorAlreadyRunningException(EmulatorInstance instance)
    : Exception($"An emulator is already running for data directory '{instance.DataDirectory}': process {instance.ProcessId} at {instance.Endpoint}. Use it, or stop it first.")
{
    public EmulatorInstance Instance { get; } = instance;
}
