namespace Ingestion.Core.EmulatorControl;

/// <summary>How <see cref="EmulatorLauncher"/> starts an emulator process.</summary>
public sealed class EmulatorLaunchOptions
{
    /// <summary>Path of <c>Ingestion.Emulator.dll</c>; null looks next to this assembly, then in an <c>emulator</c> folder beside it.</summary>
    public string? EmulatorAssemblyPath { get; init; }

    /// <summary>Loopback port; 0 lets the emulator pick a free one.</summary>
    public int Port { get; init; }

    /// <summary>Null: the emulator's per-user default (<see cref="DefaultDataDirectory"/>).</summary>
    public string? DataDirectory { get; init; }

    public string? ConfigPath { get; init; }

    /// <summary>Null: the emulator's default (86399 s, like Adobe IMS).</summary>
    public TimeSpan? TokenLifetime { get; init; }

    /// <summary>Null: the emulator's default (1 s from COMPLETE to the final state).</summary>
    public TimeSpan? ProcessingDelay { get; init; }

    /// <summary>Faults to inject, in the emulator's <c>--faults</c> syntax (<c>server-error=0.1,throttle=0.05,seed=7</c>); null: none.</summary>
    public string? Faults { get; init; }

    /// <summary>How long to wait for the emulator's ready line.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>dotnet</c> executable to use; null searches DOTNET_HOST_PATH, DOTNET_ROOT, then PATH.</summary>
    public string? DotnetPath { get; init; }

    /// <summary>The emulator's own default: <c>Ingestion/emulator</c> under the user's local application data.</summary>
    public static string DefaultDataDirectory => Shared.EmulatorFiles.DefaultDataDirectory;
}
