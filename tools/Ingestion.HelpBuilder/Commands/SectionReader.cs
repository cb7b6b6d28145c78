using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder.Commands;

/// <summary>Splits a document's blocks at headings of one level, refusing text before the first heading.</summary>
internal static class SectionReader
{
    public static IReadOnlyList<(HeadingBlock Heading, IReadOnlyList<Block> Body)> Split(string file, IReadOnlyList<Block> blocks, int level, string context)
    {
        var sections = new List<(HeadingBlock, IReadOnlyList<Block>)>();
        List<Block>? body = null;
        foreach (var block in blocks)
        {
            if (block is HeadingBlock heading && heading.Level == level)
            {
                body = [];
                sections.Add((heading, body));
            }
            else if (block is HeadingBlock deeper && deeper.Level != level + 1)
            {
                throw new HelpFormatException(file, deeper.Line, $"Heading level {deeper.Level} is out of place in {context}.");
            }
            else if (body is null)
            {
                throw new HelpFormatException(file, block.Line, $"Text before the first {new string('#', level)} heading in {context}.");
            }
            else
            {
                body.Add(block);
            }
        }

        return sections;
    }

    /// <summary>Prose: paragraphs, list items and code blocks, and nothing else.</summary>
    public static IReadOnlyList<Block> Prose(string file, int headingLine, IReadOnlyList<Block> blocks, string context, bool required)
    {
        foreach (var block in blocks)
        {
            if (block is HeadingBlock or TableBlock)
            {
                throw new HelpFormatException(file, block.Line, $"{context} may hold paragraphs, lists and code blocks only.");
            }
        }

        if (required && !blocks.Any(b => b is ParagraphBlock or ListItemBlock))
        {
            throw new HelpFormatException(file, headingLine, $"{context} has no text.");
        }

        return blocks;
    }
}
