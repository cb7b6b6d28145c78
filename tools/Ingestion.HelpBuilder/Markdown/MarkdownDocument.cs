using System.Text.RegularExpressions;

namespace Ingestion.HelpBuilder.Markdown;

/// <summary>
/// A help source split into optional YAML front matter and a flat list of blocks.
/// Only what help sources need is understood; anything ambiguous is refused with its line number
/// rather than guessed at, so a typo cannot silently drop text from the compiled help.
/// </summary>
internal sealed partial class MarkdownDocument
{
    private MarkdownDocument(string file, IReadOnlyDictionary<string, string> frontMatter, IReadOnlyList<Block> blocks)
    {
        File = file;
        FrontMatter = frontMatter;
        Blocks = blocks;
    }

    public string File { get; }

    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    public IReadOnlyList<Block> Blocks { get; }

    public static MarkdownDocument Load(string path) => Parse(path, System.IO.File.ReadAllText(path));

    public static MarkdownDocument Parse(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var index = 0;
        var frontMatter = ReadFrontMatter(file, lines, ref index);
        var blocks = new List<Block>();
        while (index < lines.Length)
        {
            var line = lines[index];
            var number = index + 1;
            if (line.Contains('\t'))
            {
                throw new HelpFormatException(file, number, "Tab character; indent with spaces.");
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                index++;
            }
            else if (Heading().Match(line) is { Success: true } heading)
            {
                blocks.Add(new HeadingBlock(number, heading.Groups[1].Length, heading.Groups[2].Value.Trim()));
                index++;
            }
            else if (line.StartsWith('#'))
            {
                throw new HelpFormatException(file, number, $"Malformed heading '{line}': write '#' marks, one space, then the title.");
            }
            else if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                blocks.Add(ReadCode(file, lines, ref index));
            }
            else if (line.StartsWith('|'))
            {
                blocks.Add(ReadTable(file, lines, ref index));
            }
            else if (ListMarker().Match(line) is { Success: true } item)
            {
                blocks.Add(ReadListItem(lines, ref index, item));
            }
            else if (char.IsWhiteSpace(line[0]))
            {
                throw new HelpFormatException(file, number, "Indented text outside a list item; use a fenced code block for code.");
            }
            else
            {
                blocks.Add(ReadParagraph(lines, ref index));
            }
        }

        return new MarkdownDocument(file, frontMatter, blocks);
    }

    private static Dictionary<string, string> ReadFrontMatter(string file, string[] lines, ref int index)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length == 0 || lines[0].TrimEnd() != "---")
        {
            return values;
        }

        for (index = 1; index < lines.Length; index++)
        {
            var line = lines[index];
            if (line.TrimEnd() == "---")
            {
                index++;
                return values;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new HelpFormatException(file, index + 1, $"Front matter line '{line}' is not 'key: value'.");
            }

            if (!values.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim()))
            {
                throw new HelpFormatException(file, index + 1, $"Front matter key '{line[..colon].Trim()}' appears twice.");
            }
        }

        throw new HelpFormatException(file, 1, "Front matter opened with '---' is never closed.");
    }

    private static CodeBlock ReadCode(string file, string[] lines, ref int index)
    {
        var start = index;
        var fence = lines[index];
        if (fence != fence.TrimStart())
        {
            throw new HelpFormatException(file, start + 1, "Indented code fence; fences start in column 1.");
        }

        var language = fence[3..].Trim();
        if (language.Contains('`') || language.Contains(' '))
        {
            throw new HelpFormatException(file, start + 1, $"Code fence '{fence}' has more than a language name after the backticks.");
        }

        var body = new List<string>();
        for (index++; index < lines.Length; index++)
        {
            if (lines[index].TrimEnd() == "```")
            {
                index++;
                return new CodeBlock(start + 1, language, body);
            }

            body.Add(lines[index].TrimEnd());
        }

        throw new HelpFormatException(file, start + 1, "Code block is never closed with ```.");
    }

    private static TableBlock ReadTable(string file, string[] lines, ref int index)
    {
        var start = index;
        var rows = new List<IReadOnlyList<string>>();
        for (; index < lines.Length && lines[index].StartsWith('|'); index++)
        {
            var line = lines[index].TrimEnd();
            if (!line.EndsWith('|') || line.Length < 2)
            {
                throw new HelpFormatException(file, index + 1, "Table row does not end with '|'.");
            }

            var cells = line[1..^1].Split('|').Select(c => c.Trim()).ToArray();
            if (index == start + 1)
            {
                if (!cells.All(c => TableSeparator().IsMatch(c)))
                {
                    throw new HelpFormatException(file, index + 1, "The second row of a table must be the '|---|---|' separator.");
                }

                continue;
            }

            if (rows.Count > 0 && cells.Length != rows[0].Count)
            {
                throw new HelpFormatException(file, index + 1, $"Table row has {cells.Length} cells; the header has {rows[0].Count}.");
            }

            rows.Add(cells);
        }

        if (rows.Count < 2)
        {
            throw new HelpFormatException(file, start + 1, "A table needs a header row, a separator row and at least one data row.");
        }

        return new TableBlock(start + 1, rows);
    }

    private static ListItemBlock ReadListItem(string[] lines, ref int index, Match marker)
    {
        var start = index;
        var parts = new List<string> { marker.Groups[2].Value.Trim() };
        var bullet = marker.Groups[1].Value == "*" ? "-" : marker.Groups[1].Value;
        for (index++; index < lines.Length; index++)
        {
            var line = lines[index];
            // Continuation lines are indented; anything else (blank, new item, heading) ends the item.
            if (string.IsNullOrWhiteSpace(line) || !line.StartsWith("  ", StringComparison.Ordinal))
            {
                break;
            }

            parts.Add(line.Trim());
        }

        return new ListItemBlock(start + 1, bullet, string.Join(' ', parts));
    }

    private static ParagraphBlock ReadParagraph(string[] lines, ref int index)
    {
        var start = index;
        var parts = new List<string>();
        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#') || line.StartsWith('|')
                || line.StartsWith("```", StringComparison.Ordinal) || ListMarker().IsMatch(line))
            {
                break;
            }

            parts.Add(line.Trim());
        }

        return new ParagraphBlock(start + 1, string.Join(' ', parts));
    }

    [GeneratedRegex(@"^(#{1,6}) +(\S.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^([-*]|\d{1,3}\.) +(\S.*)$")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"^:?-{3,}:?$")]
    private static partial Regex TableSeparator();
}
