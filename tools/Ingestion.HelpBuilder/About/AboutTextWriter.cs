using System.Text;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder.About;

/// <summary>
/// Renders an about topic as the plain text Get-Help prints verbatim: section titles in column 1,
/// text indented four spaces and wrapped so no line exceeds <see cref="Width"/> columns.
/// Anything that cannot fit (a long code line, an unbreakable word) is an error, not an overlong line.
/// </summary>
internal static class AboutTextWriter
{
    public const int Width = 80;
    private const string Indent = "    ";
    private const string CodeIndent = "        ";
    private const int MinLastColumn = 20;

    public static string Write(AboutTopic topic)
    {
        var text = new StringBuilder();
        text.AppendLine("TOPIC").Append(Indent).AppendLine(topic.Name).AppendLine();
        foreach (var section in topic.Sections)
        {
            text.AppendLine(section.Level == 2 ? section.Title : Indent + section.Title.ToUpperInvariant());
            foreach (var block in section.Body)
            {
                WriteBlock(topic.SourceFile, text, block);
                text.AppendLine();
            }

            if (section.Body.Count == 0)
            {
                text.AppendLine();
            }
        }

        return text.ToString().TrimEnd() + Environment.NewLine;
    }

    private static void WriteBlock(string file, StringBuilder text, Block block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                Wrap(file, block.Line, text, paragraph.Text, Indent, Indent);
                break;
            case ListItemBlock item:
                var first = $"{Indent}{item.Marker} ";
                Wrap(file, block.Line, text, item.Text, first, new string(' ', first.Length));
                break;
            case CodeBlock code:
                for (var i = 0; i < code.Lines.Count; i++)
                {
                    var line = CodeIndent + code.Lines[i];
                    if (line.Length > Width)
                    {
                        throw new HelpFormatException(file, code.Line + 1 + i, $"Code line is {line.Length} columns once indented; about topics are {Width} wide. Break the line.");
                    }

                    text.AppendLine(code.Lines[i].Length == 0 ? string.Empty : line);
                }

                break;
            case TableBlock table:
                WriteTable(file, text, table);
                break;
            default:
                throw new HelpFormatException(file, block.Line, $"{block.GetType().Name} cannot appear here.");
        }
    }

    // Every column but the last is padded to its widest cell; the last one wraps under itself.
    private static void WriteTable(string file, StringBuilder text, TableBlock table)
    {
        var columns = table.Rows[0].Count;
        var widths = Enumerable.Range(0, columns - 1).Select(c => table.Rows.Max(r => r[c].Length)).ToArray();
        var lead = Indent.Length + widths.Sum() + (2 * (columns - 1));
        if (Width - lead < MinLastColumn)
        {
            throw new HelpFormatException(file, table.Line, $"The table's leading columns take {lead} of {Width} columns; shorten them so the last column keeps at least {MinLastColumn}.");
        }

        var rows = new List<IReadOnlyList<string>> { table.Rows[0], table.Rows[0].Select(h => new string('-', h.Length)).ToArray() };
        rows.AddRange(table.Rows.Skip(1));
        foreach (var row in rows)
        {
            var prefix = Indent + string.Concat(row.Take(columns - 1).Select((cell, c) => cell.PadRight(widths[c] + 2)));
            Wrap(file, table.Line, text, row[columns - 1], prefix, new string(' ', lead));
        }
    }

    private static void Wrap(string file, int line, StringBuilder text, string content, string firstIndent, string nextIndent)
    {
        var current = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in content.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && current.Length + 1 + word.Length > Width)
            {
                text.AppendLine(current.ToString());
                current.Clear().Append(nextIndent);
                empty = true;
            }

            if (current.Length + (empty ? 0 : 1) + word.Length > Width)
            {
                throw new HelpFormatException(file, line, $"'{word}' is too long to fit in {Width} columns.");
            }

            current.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        text.AppendLine(current.ToString().TrimEnd());
    }
}
