namespace Ingestion.Help.Tests;

/// <summary>Finds a pwsh to parse the examples with: INGESTION_PWSH, the repository's .tools, PATH, then /tmp/pwshtool.</summary>
internal static class PowerShellLocator
{
    public static string? Pwsh { get; } = Find();

    private static string? Find()
    {
        var name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { Environment.GetEnvironmentVariable("INGESTION_PWSH"), Path.Combine(RepositoryPaths.Root, ".tools", "pwsh", name) }
            .Concat(path.Select(p => Path.Combine(p, name)))
            .Append(Path.Combine("/tmp", "pwshtool", name))
            .FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
    }
}

/// <summary>A fact that is skipped, saying why, where no pwsh is found.</summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        if (PowerShellLocator.Pwsh is null)
        {
            Skip = "pwsh was not found: set INGESTION_PWSH, put pwsh on PATH, or run build/install-test-tools.sh";
        }
    }
}
