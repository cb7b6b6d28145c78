namespace Ingestion.Core.Tests.Support;

/// <summary>The repository's sample files.</summary>
internal static class Samples
{
    private static readonly Lazy<string> root = new(FindRoot);

    /// <summary>The repository root (the folder holding <c>samples/</c>).</summary>
    public static string Root => root.Value;

    public static string Profiles => Path.Combine(root.Value, "samples", "profiles.json");

    public static string Loyalty => Path.Combine(root.Value, "samples", "loyalty.csv");

    public const int ProfileRecords = 14;
    public const int LoyaltyRecords = 40;

    public const string ProfileSchema = "https://ns.adobe.com/emulator/schemas/demo-profile";
    public const string LoyaltySchema = "https://ns.adobe.com/emulator/schemas/demo-loyalty-csv";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "samples", "profiles.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("samples/profiles.json not found above " + AppContext.BaseDirectory);
    }
}
