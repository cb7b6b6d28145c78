namespace Ingestion.Core.EmulatorControl;

/// <summary>The launcher's user-facing texts. Placeholders are positional.</summary>
internal static class LauncherMessages
{
    public const string InstallRuntime =
        "Install the ASP.NET Core Runtime 8.0 or later (https://dotnet.microsoft.com/download/dotnet) to run the Ingestion emulator.";
    public const string DotnetNotFound =
        "The 'dotnet' command was not found (looked at DOTNET_HOST_PATH, DOTNET_ROOT, PATH and the usual install folders). " + InstallRuntime;
    public const string NoAspNetRuntime =
        "'{0}' has no ASP.NET Core runtime 8.0 or later (it has: {1}). " + InstallRuntime;
    public const string ListRuntimesFailed = "Could not list the .NET runtimes with '{0} --list-runtimes': {1}. " + InstallRuntime;
    public const string EmulatorMissing =
        "The emulator (Ingestion.Emulator.dll) was not found at '{0}'. Reinstall the module or pass the emulator's path.";
    public const string ExitedBeforeReady = "The emulator exited with code {0} before it was ready. Its last output:{1}{2}";
    public const string NotReadyInTime = "The emulator did not report ready within {0:0} s and was stopped. Its last output:{1}{2}";
    public const string BadReadyLine = "The emulator's ready line could not be read: {0}";
    public const string NotAnEmulator = "Process {0} ({1}) is not an Ingestion emulator; it was left alone.";
    public const string InThisProcess = "Process {0} is this process; stop an in-process emulator by disposing its EmulatorHost.";
    public const string NoOutput = " (nothing)";
}
