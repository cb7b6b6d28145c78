namespace Ingestion.HelpBuilder.Markdown;

/// <summary>The few markdown constructs help sources use. Every block keeps its 1-based source line for error messages.</summary>
internal abstract record Block(int Line);

internal sealed record HeadingBlock(int Line, int Level, string Text) : Block(Line);

/// <summary>A paragraph with its source lines joined by single spaces; help viewers re-wrap text themselves.</summary>
internal sealed record ParagraphBlock(int Line, string Text) : Block(Line);

/// <summary>One list item; <see cref="Marker"/> is "-" or the item's number ("1.").</summary>
internal sealed record ListItemBlock(int Line, string Marker, string Text) : Block(Line);

internal sealed record CodeBlock(int Line, string Language, IReadOnlyList<string> Lines) : Block(Line)
{
    public string Text => string.Join("\n", Lines);
}

/// <summary>A pipe table: the header row first, the separator row dropped.</summary>
internal sealed record TableBlock(int Line, IReadOnlyList<IReadOnlyList<string>> Rows) : Block(Line);
