using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder.About;

/// <summary>A conceptual topic (about_*.md): a title, then "##" sections that may hold "###" subsections.</summary>
internal sealed record AboutTopic(string Name, string SourceFile, IReadOnlyList<AboutSection> Sections);

internal sealed record AboutSection(string Title, int Level, IReadOnlyList<Block> Body, int Line);
