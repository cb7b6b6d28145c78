using Ingestion.HelpBuilder;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.Help.Tests;

public sealed class MarkdownDocumentTests
{
    [Fact]
    public void ReadsFrontMatterAndBlocksWithTheirLines()
    {
        var document = MarkdownDocument.Parse("a.md", "---\nkey: value: with colon\n---\n\n# Title\n\ntext\nmore\n\n1. first\n   item\n* star\n\n```yaml\nA: b\n\n```\n\n| h1 | h2 |\n|---|:---:|\n| a | b |\n");

        Assert.Equal("value: with colon", document.FrontMatter["key"]);
        Assert.Collection(
            document.Blocks,
            b => Assert.Equal(new HeadingBlock(5, 1, "Title"), b),
            b => Assert.Equal(new ParagraphBlock(7, "text more"), b),
            b => Assert.Equal(new ListItemBlock(10, "1.", "first item"), b),
            b => Assert.Equal(new ListItemBlock(12, "-", "star"), b),
            b =>
            {
                var code = Assert.IsType<CodeBlock>(b);
                Assert.Equal((14, "yaml", "A: b\n"), (code.Line, code.Language, code.Text));
            },
            b => Assert.Equal([["h1", "h2"], ["a", "b"]], Assert.IsType<TableBlock>(b).Rows));
    }

    [Theory]
    [InlineData("# T\n\n```powershell\nGet-Thing\n", 3, "never closed")]
    [InlineData("---\nkey: value\n", 1, "never closed")]
    [InlineData("---\nno colon here\n---\n", 2, "not 'key: value'")]
    [InlineData("---\na: 1\na: 2\n---\n", 3, "appears twice")]
    [InlineData("# T\n\n\ttext\n", 3, "Tab character")]
    [InlineData("# T\n\n##Heading\n", 3, "Malformed heading")]
    [InlineData("# T\n\n    indented\n", 3, "Indented text")]
    [InlineData("# T\n\n| a | b |\n| x | y |\n", 4, "separator")]
    [InlineData("# T\n\n| a | b |\n|---|---|\n| x |\n", 5, "has 1 cells")]
    [InlineData("# T\n\n| a | b |\n|---|---|\n", 3, "at least one data row")]
    [InlineData("# T\n\n```powershell extra\nx\n```\n", 3, "more than a language")]
    public void RejectsMalformedMarkdownWithItsLine(string text, int line, string message)
    {
        var error = Assert.Throws<HelpFormatException>(() => MarkdownDocument.Parse("bad.md", text));

        Assert.Equal(("bad.md", line), (error.File, error.Line));
        Assert.Contains(message, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void WindowsLineEndingsReadLikeUnixOnes()
    {
        var unix = MarkdownDocument.Parse("a.md", SampleHelp.Text);
        var windows = MarkdownDocument.Parse("a.md", SampleHelp.Text.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(unix.Blocks.Count, windows.Blocks.Count);
        Assert.Equal(unix.Blocks.Select(b => b.ToString()), windows.Blocks.Select(b => b.ToString()));
    }
}
