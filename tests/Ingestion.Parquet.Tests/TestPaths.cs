namespace Ingestion.Parquet.Tests;

/// <summary>Locates the repository and the shared test data that sits beside it (../shared).</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    public static string ParquetTestingData => Path.Combine(SharedData, "parquet-testing", "data");

    public static string ParquetTestingBadData => Path.Combine(SharedData, "parquet-testing", "bad_data");

    public static string EtlReference => Path.Combine(SharedData, "experience-platform-etl-reference");

    public static string Data(string name) => Path.Combine(ParquetTestingData, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    }
}
