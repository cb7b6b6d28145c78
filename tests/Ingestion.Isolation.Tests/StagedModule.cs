namespace Ingestion.Isolation.Tests;

/// <summary>The module as <c>dotnet publish src/Ingestion.PowerShell</c> stages it (this project's build runs that publish).</summary>
internal static class StagedModule
{
    public static string Directory { get; } = Find();

    public static string Dependencies => Path.Combine(Directory, "dependencies");

    /// <summary>The Polly.Core the tests put in the default context first, as another module would.</summary>
    public static string ConflictingPolly => Path.Combine(AppContext.BaseDirectory, "conflicting", "Polly.Core.dll");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingestion.psd1")))
            {
                var staged = Path.Combine(dir.FullName, "artifacts", "module", "Ingestion");
                return File.Exists(Path.Combine(staged, "Ingestion.psd1"))
                    ? staged
                    : throw new InvalidOperationException($"The staged module is missing at {staged}: run dotnet publish src/Ingestion.PowerShell.");
            }
        }

        throw new InvalidOperationException("Ingestion.psd1 not found above " + AppContext.BaseDirectory);
    }
}
