using Ingestion.HelpBuilder;
using Ingestion.HelpBuilder.About;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.Help.Tests;

public sealed class AboutTopicTests
{
    private const string FileName = "about_Widgets.md";

    private const string Valid = """
        # about_Widgets

        ## SHORT DESCRIPTION
        Explains widgets.

        ## LONG DESCRIPTION
        Widgets are small things that do one job each and do it well, which is more than can be said for most gadgets on the market today.

        ### Making one
        - A list item that is long enough to wrap onto a second line, so its hanging indent shows.

        ```powershell
        New-Widget -Name 'a'
        ```

        | Status | Meaning |
        |---|---|
        | active | Promoted and available to every downstream service that reads the dataset. |

        ## SEE ALSO
        about_Gadgets
        """;

    [Fact]
    public void WritesTheAboutLayoutWrappedAtEightyColumns()
    {
        var text = Write(Valid);
        var lines = text.Split(Environment.NewLine);

        Assert.Equal(["TOPIC", "    about_Widgets", "", "SHORT DESCRIPTION", "    Explains widgets.", "", "LONG DESCRIPTION"], lines[..7]);
        Assert.All(lines, l => Assert.True(l.Length <= AboutTextWriter.Width, $"Line is {l.Length} columns: '{l}'"));
        Assert.Contains("    MAKING ONE", lines);
        Assert.Contains("        New-Widget -Name 'a'", lines);
        Assert.Contains("    Status  Meaning", lines);
        Assert.Contains("    ------  -------", lines);
        Assert.Contains("SEE ALSO", lines);

        var item = Array.FindIndex(lines, l => l.StartsWith("    - A list item", StringComparison.Ordinal));
        Assert.StartsWith("      ", lines[item + 1], StringComparison.Ordinal);
        var row = Array.FindIndex(lines, l => l.StartsWith("    active  Promoted", StringComparison.Ordinal));
        Assert.StartsWith("            ", lines[row + 1], StringComparison.Ordinal);
        Assert.False(char.IsWhiteSpace(lines[row + 1][12]));

        // Wrapping only moves words: joined back, the paragraph is the source text.
        var start = Array.IndexOf(lines, "LONG DESCRIPTION") + 1;
        var paragraph = string.Join(' ', lines.Skip(start).TakeWhile(l => l.Length > 0).Select(l => l.Trim()));
        Assert.Equal("Widgets are small things that do one job each and do it well, which is more than can be said for most gadgets on the market today.", paragraph);
    }

    [Theory]
    [InlineData("# about_Widgets", "# Widgets", "# Widgets", "starts with '# about_Name'")]
    [InlineData("## SHORT DESCRIPTION\nExplains widgets.\n\n", "", "## LONG DESCRIPTION", "Section 1 must be '## SHORT DESCRIPTION'")]
    [InlineData("## SEE ALSO", "## See also", "## See also", "written in capitals")]
    [InlineData("### Making one", "#### Making one", "#### Making one", "Heading level 4")]
    [InlineData("New-Widget -Name 'a'", "New-Widget -Name 'a' -Description 'a code line far too long to fit in an about topic'", "New-Widget", "Break the line")]
    [InlineData("gadgets on the market", "gadgets-on-the-market-and-a-single-word-that-is-far-too-long-for-eighty-columns-of-text", "Widgets are small", "too long to fit")]
    [InlineData("| Status | Meaning |\n|---|---|\n| active |", "| Status of the batch as the service reports it in Catalog | Meaning |\n|---|---|\n| active |", "| Status of", "leading columns")]
    public void RejectsMalformedTopicsNamingFileAndLine(string original, string replacement, string expectedLineOf, string message)
    {
        Assert.Contains(original, Valid, StringComparison.Ordinal);
        var text = Valid.Replace(original, replacement, StringComparison.Ordinal);

        var error = Assert.Throws<HelpFormatException>(() => Write(text));

        Assert.Equal((FileName, SampleHelp.LineOf(text, expectedLineOf)), (error.File, error.Line));
        Assert.Contains(message, error.Problem, StringComparison.Ordinal);
    }

    private static string Write(string text) => AboutTextWriter.Write(AboutTopicParser.Parse(MarkdownDocument.Parse(FileName, text)));
}
