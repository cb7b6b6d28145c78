using System.Xml.Linq;
using Ingestion.HelpBuilder.Commands;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.Help.Tests;

public sealed class MamlWriterTests
{
    private static readonly XNamespace Maml = MamlWriter.Maml;
    private static readonly XNamespace Command = MamlWriter.Command;
    private static readonly XNamespace Dev = MamlWriter.Dev;

    private readonly XElement command = Write(SampleHelp.Text);

    [Fact]
    public void WritesTheDocumentPowerShellExpects()
    {
        var document = XDocument.Parse(MamlWriter.Write([Parse(SampleHelp.Text)]).ToString());

        Assert.Equal(MamlWriter.Msh + "helpItems", document.Root!.Name);
        Assert.Equal("maml", document.Root.Attribute("schema")?.Value);
        Assert.Single(document.Root.Elements(Command + "command"));
    }

    [Fact]
    public void DetailsHoldNameVerbNounAndSynopsis()
    {
        var details = command.Element(Command + "details")!;

        Assert.Equal("Get-Widget", details.Element(Command + "name")?.Value);
        Assert.Equal("Get", details.Element(Command + "verb")?.Value);
        Assert.Equal("Widget", details.Element(Command + "noun")?.Value);
        Assert.Equal("Gets widgets.", details.Element(Maml + "description")?.Element(Maml + "para")?.Value);
    }

    [Fact]
    public void DescriptionKeepsParagraphsAndListItemsApart()
    {
        var paras = command.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value);

        Assert.Equal(["Gets widgets by name or by id.", "- First point.", "- Second point, continued."], paras);
    }

    [Fact]
    public void SyntaxHasOneItemPerSetWithParametersInSyntaxOrder()
    {
        var items = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();

        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("Get-Widget", i.Element(Maml + "name")?.Value));
        Assert.Equal(["Name", "Force"], ParameterNames(items[0]));
        Assert.Equal(["Id", "Force"], ParameterNames(items[1]));

        var name = items[0].Elements(Command + "parameter").First();
        Assert.Equal(
            ("false", "true", "True (ByValue, ByPropertyName)", "0", "none"),
            (Attr(name, "required"), Attr(name, "globbing"), Attr(name, "pipelineInput"), Attr(name, "position"), Attr(name, "aliases")));
        Assert.Equal("String[]", name.Element(Command + "parameterValue")?.Value);
        Assert.Equal(["Red", "Green"], name.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));

        var id = items[1].Elements(Command + "parameter").First();
        Assert.Equal(("true", "named", "WidgetId", "True (ByPropertyName)"), (Attr(id, "required"), Attr(id, "position"), Attr(id, "aliases"), Attr(id, "pipelineInput")));
    }

    [Fact]
    public void SwitchesShowNoValueInTheSyntaxButDoUnderParameters()
    {
        var inSyntax = command.Element(Command + "syntax")!.Descendants(Command + "parameter").First(p => p.Element(Maml + "name")?.Value == "Force");
        var inParameters = command.Element(Command + "parameters")!.Elements(Command + "parameter").First(p => p.Element(Maml + "name")?.Value == "Force");

        Assert.Null(inSyntax.Element(Command + "parameterValue"));
        Assert.Equal("SwitchParameter", inParameters.Element(Command + "parameterValue")?.Value);
        Assert.Equal("false", Attr(inParameters.Element(Command + "parameterValue")!, "required"));
        Assert.Equal("SwitchParameter", inParameters.Element(Dev + "type")?.Element(Maml + "name")?.Value);
        Assert.Equal("False", inParameters.Element(Dev + "defaultValue")?.Value);
    }

    [Fact]
    public void ParametersSectionListsEachParameterOnceWithItsDescription()
    {
        var parameters = command.Element(Command + "parameters")!.Elements(Command + "parameter").ToList();

        Assert.Equal(["Force", "Id", "Name"], parameters.Select(p => p.Element(Maml + "name")!.Value));
        Assert.Equal("The widget id.", parameters[1].Element(Maml + "description")?.Element(Maml + "para")?.Value);
        Assert.Equal("*", parameters[2].Element(Dev + "defaultValue")?.Value);
    }

    [Fact]
    public void InputsOutputsNotesExamplesAndLinks()
    {
        Assert.Equal("System.String", command.Element(Command + "inputTypes")?.Element(Command + "inputType")?.Element(Dev + "type")?.Element(Maml + "name")?.Value);
        Assert.Equal("Sample.Widget", command.Element(Command + "returnValues")?.Element(Command + "returnValue")?.Element(Dev + "type")?.Element(Maml + "name")?.Value);
        Assert.Equal("Widgets are fictional.", command.Element(Maml + "alertSet")?.Element(Maml + "alert")?.Element(Maml + "para")?.Value);

        var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.Equal(2, examples.Count);
        Assert.Contains("Example 2: Get one widget by id", examples[1].Element(Maml + "title")?.Value, StringComparison.Ordinal);
        Assert.Equal("Get-Widget -Id 42 |\n    Format-List", examples[1].Element(Dev + "code")?.Value);
        Assert.Equal(["Gets widget 42.", ""], examples[1].Element(Dev + "remarks")!.Elements(Maml + "para").Select(p => p.Value));

        var links = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(l => (l.Element(Maml + "linkText")?.Value, l.Element(Maml + "uri")?.Value));
        // A relative markdown link means nothing to Get-Help, so only web addresses keep their uri.
        Assert.Equal([("Online", "https://example.invalid/widget"), ("Set-Widget", ""), ("about_Widgets", "")], links);
    }

    [Fact]
    public void CodeInsideProseBecomesOneIndentedParagraphPerLine()
    {
        var written = Write(SampleHelp.With("Widgets are fictional.\n", "Widgets are fictional.\n\n```powershell\n$a = 1\n$b = 2\n```\n"));

        Assert.Equal(
            ["Widgets are fictional.", "    $a = 1", "    $b = 2"],
            written.Element(Maml + "alertSet")!.Element(Maml + "alert")!.Elements(Maml + "para").Select(p => p.Value));
    }

    private static IEnumerable<string> ParameterNames(XElement syntaxItem) =>
        syntaxItem.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value);

    private static string? Attr(XElement element, string name) => element.Attribute(name)?.Value;

    private static CommandHelp Parse(string text) => CommandHelpParser.Parse(MarkdownDocument.Parse(SampleHelp.FileName, text));

    private static XElement Write(string text) => MamlWriter.Write([Parse(text)]).Root!.Element(Command + "command")!;
}
