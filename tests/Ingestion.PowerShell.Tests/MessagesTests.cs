using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Tests;

/// <summary>The message table is well-formed and every entry is used.</summary>
public sealed partial class MessagesTests
{
    private static readonly FieldInfo[] Fields =
        typeof(Ingestion.PowerShell.Errors.ErrorMapper).Assembly.GetType("Ingestion.PowerShell.Messages", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToArray();

    public static TheoryData<string> Names() => [.. Fields.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void PlaceholdersAreNumberedWithoutGaps(string name)
    {
        var text = Text(name);
        var indexes = Placeholder().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(0, indexes.Count), indexes);
        var formatted = string.Format(CultureInfo.InvariantCulture, text, Enumerable.Range(0, indexes.Count).Select(i => (object)(i + 1000)).ToArray());
        Assert.DoesNotContain("{", formatted);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void IsUsedBySomeCode(string name)
    {
        var sources = Directory.GetFiles(Path.Combine(Repository.Root, "src", "Ingestion.PowerShell"), "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "Messages.cs" && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
        Assert.Contains(sources, f => File.ReadAllText(f).Contains("Messages." + name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(268_435_456, "256.0 MB")]
    public void SizesReadLikeAPersonWouldSayThem(long bytes, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            Assert.Equal(expected, Units.Bytes(bytes));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static string Text(string name) => (string)Fields.Single(f => f.Name == name).GetRawConstantValue()!;

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();
}
