using System.Text.RegularExpressions;

namespace Ingestion.Package.Tests;

/// <summary>
/// The fields of a static manifest (single-quoted scalars and @() arrays, the shape Ingestion.psd1 keeps) that the
/// package must repeat.
/// </summary>
internal sealed partial class ModuleManifest(string path)
{
    private readonly string text = File.ReadAllText(path);

    public string Name { get; } = Path.GetFileNameWithoutExtension(path);

    public string Scalar(string key)
    {
        var match = Regex.Match(text, $@"^\s*{key}\s*=\s*'((?:[^']|'')*)'", RegexOptions.Multiline);
        Assert.True(match.Success, $"{key} is missing from {path} or is not a single-quoted string.");
        return match.Groups[1].Value.Replace("''", "'");
    }

    public IReadOnlyList<string> Array(string key)
    {
        var match = Regex.Match(text, $@"^\s*{key}\s*=\s*@\(([^)]*)\)", RegexOptions.Multiline);
        Assert.True(match.Success, $"{key} is missing from {path} or is not an @() array.");
        return [.. QuotedString().Matches(match.Groups[1].Value).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedString();
}
