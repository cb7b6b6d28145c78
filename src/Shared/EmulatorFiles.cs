using System.Diagnostics;

namespace Ingestion.Shared;

/// <summary>
/// The emulator's on-disk contract with its launcher: file names in the data directory, the default data
/// directory and how a recorded process is known to be alive. Compiled into both the emulator and Core.
/// </summary>
internal static class EmulatorFiles
{
    /// <summary>Kept by a running emulator with its process id, endpoint and credentials.</summary>
    public const string LockFileName = "emulator.lock.json";

    /// <summary>Where a launched emulator writes its log after the ready line.</summary>
    public const string LogFileName = "emulator.log";

    /// <summary>A per-user folder, so every shell of one user finds the same emulator data.</summary>
    public static string DefaultDataDirectory
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Path.GetTempPath(), Environment.UserName);
            }

            return Path.Combine(root, "Ingestion", "emulator");
        }
    }

    /// <summary>
    /// Whether the process that wrote a lock still runs. A process id reused by a process started after the lock
    /// was written does not count (a small allowance covers clock granularity).
    /// </summary>
    public static bool IsAlive(int processId, DateTimeOffset started)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                return process.StartTime.ToUniversalTime() <= started.UtcDateTime.AddSeconds(2);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // The start time cannot be read here: trust the id.
                return true;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
