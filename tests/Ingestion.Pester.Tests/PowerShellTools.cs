namespace Ingestion.Pester.Tests;

/// <summary>Finds a PowerShell 7.4+ and Pester 5 for the Pester tier; either missing means the tier is skipped.</summary>
internal static class PowerShellTools
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string? Pwsh { get; } = FindPwsh();

    public static string? PesterManifest { get; } = FindPester();

    public static string? MissingReason =>
        Pwsh is null ? "pwsh (PowerShell 7.4+) was not found: set INGESTION_PWSH, put pwsh on PATH, or run build/install-test-tools.sh"
        : PesterManifest is null ? "Pester 5 was not found: set INGESTION_PESTER to Pester.psd1, or run build/install-test-tools.sh"
        : null;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingestion.psd1")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ingestion.psd1 not found above " + AppContext.BaseDirectory);
    }

    private static string? FindPwsh()
    {
        var name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        var candidates = new[] { Environment.GetEnvironmentVariable("INGESTION_PWSH"), Path.Combine(RepositoryRoot, ".tools", "pwsh", name) }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(p => Path.Combine(p, name)));
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
    }

    private static string? FindPester()
    {
        var configured = Environment.GetEnvironmentVariable("INGESTION_PESTER");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        var packages = Path.Combine(RepositoryRoot, ".tools", "packages", "pester");
        return Directory.Exists(packages)
            ? Directory.GetFiles(packages, "Pester.psd1", SearchOption.AllDirectories)
                .Where(p => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))!).StartsWith('5'))
                .OrderDescending()
                .FirstOrDefault()
            : null;
    }
}
