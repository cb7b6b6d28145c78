namespace Ingestion.Emulator;

/// <summary>How to run an emulator.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one (read the real one from <see cref="EmulatorHost.Endpoint"/>).</summary>
    public int Port { get; init; }

    /// <summary>Where datasets, schemas, batches and uploaded files are kept between runs.</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory;

    /// <summary>Optional JSON config; without it <c>&lt;DataDirectory&gt;/emulator.config.json</c> is used when present.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>What IMS reports as <c>expires_in</c>; Adobe's tokens last a day less one second.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromSeconds(86399);

    /// <summary>Time between a batch's COMPLETE signal and its terminal state, so clients really have to poll.</summary>
    public TimeSpan ProcessingDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Null: the config file's credentials, else <see cref="EmulatorCredentials.Default"/>.</summary>
    public EmulatorCredentials? Credentials { get; init; }

    /// <summary>
    /// Faults to inject (5xx, 429, resets, slow and lost answers, early token expiry); null: the config file's
    /// <c>faults</c>, else none. Changeable while running through <c>PUT /emulator/faults</c>.
    /// </summary>
    public FaultOptions? Faults { get; init; }

    /// <summary>A per-user folder, so every shell of one user finds the same emulator data.</summary>
    public static string DefaultDataDirectory => Shared.EmulatorFiles.DefaultDataDirectory;

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be between 0 and 65535 (0 picks a free port).");
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("DataDirectory must not be empty.", nameof(DataDirectory));
        }

        if (TokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TokenLifetime), TokenLifetime, "TokenLifetime must be positive.");
        }

        if (ProcessingDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProcessingDelay), ProcessingDelay, "ProcessingDelay must not be negative.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        Credentials?.Validate("EmulatorOptions");
        Faults?.Validate(nameof(Faults));
    }
}
