using System.Text.RegularExpressions;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder.About;

/// <summary>Reads about_*.md: '# about_Name', then '## SHORT DESCRIPTION' and '## LONG DESCRIPTION' first, then any further sections.</summary>
internal static partial class AboutTopicParser
{
    private const string ShortDescription = "SHORT DESCRIPTION";
    private const string LongDescription = "LONG DESCRIPTION";

    public static AboutTopic Parse(MarkdownDocument document)
    {
        var file = document.File;
        if (document.Blocks.FirstOrDefault() is not HeadingBlock { Level: 1 } title || !AboutName().IsMatch(title.Text))
        {
            throw new HelpFormatException(file, document.Blocks.FirstOrDefault()?.Line ?? 1, "An about topic starts with '# about_Name'.");
        }

        if (!string.Equals(Path.GetFileName(file), title.Text + ".md", StringComparison.Ordinal))
        {
            throw new HelpFormatException(file, title.Line, $"The topic {title.Text} must be in a file named {title.Text}.md.");
        }

        var sections = new List<AboutSection>();
        List<Block>? body = null;
        foreach (var block in document.Blocks.Skip(1))
        {
            switch (block)
            {
                case HeadingBlock { Level: 2 or 3 } heading:
                    if (heading.Level == 3 && sections.Count == 0)
                    {
                        throw new HelpFormatException(file, heading.Line, "A '###' subsection needs a '##' section above it.");
                    }

                    body = [];
                    sections.Add(new AboutSection(heading.Text, heading.Level, body, heading.Line));
                    break;
                case HeadingBlock other:
                    throw new HelpFormatException(file, other.Line, $"Heading level {other.Level} is not used in about topics; use '##' and '###'.");
                case var _ when body is null:
                    throw new HelpFormatException(file, block.Line, $"Text before '## {ShortDescription}'.");
                default:
                    body.Add(block);
                    break;
            }
        }

        Expect(file, sections, 0, ShortDescription, title.Line);
        Expect(file, sections, 1, LongDescription, sections[0].Line);
        if (sections[0].Body is not [ParagraphBlock])
        {
            throw new HelpFormatException(file, sections[0].Line, $"{ShortDescription} must be exactly one paragraph.");
        }

        if (sections.FirstOrDefault(s => s.Level == 2 && s.Title != s.Title.ToUpperInvariant()) is { } lowercase)
        {
            throw new HelpFormatException(file, lowercase.Line, $"'## {lowercase.Title}': top-level section titles are written in capitals.");
        }

        return new AboutTopic(title.Text, file, sections);
    }

    private static void Expect(string file, List<AboutSection> sections, int index, string title, int line)
    {
        if (sections.Count <= index || sections[index].Level != 2 || sections[index].Title != title)
        {
            throw new HelpFormatException(file, sections.Count > index ? sections[index].Line : line, $"Section {index + 1} must be '## {title}'.");
        }

        if (sections[index].Body.Count == 0)
        {
            throw new HelpFormatException(file, sections[index].Line, $"'## {title}' is empty.");
        }
    }

    [GeneratedRegex(@"^about_[A-Za-z0-9_]+$")]
    private static partial Regex AboutName();
}
