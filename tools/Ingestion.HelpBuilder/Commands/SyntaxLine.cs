using System.Text.RegularExpressions;

namespace Ingestion.HelpBuilder.Commands;

/// <summary>
/// One parameter as written in a SYNTAX block. The brackets carry meaning ("[-Name]" positional,
/// "[-Name &lt;T&gt;]" optional), so they are read and later checked against the parameter's own YAML.
/// </summary>
internal sealed record SyntaxToken(string Name, bool Optional, bool Positional, string? Type);

internal static partial class SyntaxLine
{
    public static IReadOnlyList<SyntaxToken> Read(string file, int line, string commandName, string text)
    {
        var rest = text.Trim();
        if (!rest.StartsWith(commandName + " ", StringComparison.Ordinal) && rest != commandName)
        {
            throw new HelpFormatException(file, line, $"The syntax line must start with '{commandName}'.");
        }

        rest = rest[commandName.Length..].Trim();
        var tokens = new List<SyntaxToken>();
        while (rest.Length > 0)
        {
            var match = Token().Match(rest);
            if (!match.Success)
            {
                throw new HelpFormatException(file, line, $"Cannot read the syntax at '{rest}': expected -Name, -Name <Type>, [-Name <Type>], [-Name] <Type>, [[-Name] <Type>] or [<CommonParameters>].");
            }

            if (!match.Groups["common"].Success)
            {
                var name = match.Groups["name"].Value;
                if (tokens.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new HelpFormatException(file, line, $"-{name} appears twice in one syntax line.");
                }

                tokens.Add(new SyntaxToken(
                    name,
                    Optional: match.Groups["optional"].Success || match.Groups["optpos"].Success,
                    Positional: match.Groups["positional"].Success || match.Groups["optpos"].Success,
                    Type: match.Groups["type"].Success ? match.Groups["type"].Value : null));
            }

            rest = rest[match.Length..].TrimStart();
        }

        return tokens;
    }

    // One alternative per shape PowerShell prints; the named groups say which shape matched.
    [GeneratedRegex(@"^(?:
        (?<common>\[<CommonParameters>\])
      | (?<optpos>\[\[-(?<name>\w+)\]\s+<(?<type>[^<>\s]+)>\])
      | (?<positional>\[-(?<name>\w+)\]\s+<(?<type>[^<>\s]+)>)
      | (?<optional>\[-(?<name>\w+)(?:\s+<(?<type>[^<>\s]+)>)?\])
      | (?:-(?<name>\w+)(?:\s+<(?<type>[^<>\s]+)>)?)
    )(?=\s|$)", RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Token();
}
