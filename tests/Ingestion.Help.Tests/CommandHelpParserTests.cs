using Ingestion.HelpBuilder;
using Ingestion.HelpBuilder.Commands;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.Help.Tests;

public sealed class CommandHelpParserTests
{
    [Fact]
    public void ReadsEverySectionOfAValidSource()
    {
        var help = Parse(SampleHelp.Text);

        Assert.Equal("Get-Widget", help.Name);
        Assert.Equal(("Get", "Widget"), (help.Verb, help.Noun));
        Assert.Equal("Sample.dll-Help.xml", help.ExternalHelpFile);
        Assert.Equal("Gets widgets.", help.Synopsis);
        Assert.Equal(["Name", "Id"], help.Syntax.Select(s => s.Name));
        Assert.True(help.Syntax[0].IsDefault);
        Assert.Equal(["Name", "Force"], help.Syntax[0].ParameterNames);
        Assert.Equal("Gets widgets by name or by id.", Assert.IsType<ParagraphBlock>(help.Description[0]).Text);
        Assert.Equal("Second point, continued.", Assert.IsType<ListItemBlock>(help.Description[2]).Text);
        Assert.Equal(2, help.Examples.Count);
        Assert.Equal("Get-Widget -Id 42 |\n    Format-List", help.Examples[1].Code);
        Assert.Equal(["Force", "Id", "Name"], help.Parameters.Select(p => p.Name));

        var name = help.Parameters[2].Bindings.Single();
        Assert.Equal(("String[]", "0", "*", true, true, true), (name.Type, name.Position, name.DefaultValue, name.ByValue, name.ByPropertyName, name.Wildcards));
        Assert.Equal(["Red", "Green"], name.AcceptedValues);
        Assert.Equal(["WidgetId"], help.Parameters[1].Bindings[0].Aliases);
        Assert.True(help.Parameters[0].IsSwitch);
        Assert.True(help.Parameters[0].Bindings[0].InAllSets);

        Assert.Equal("System.String", help.Inputs.Single().TypeName);
        Assert.Equal("Sample.Widget", help.Outputs.Single().TypeName);
        Assert.Equal([("Online", "https://example.invalid/widget"), ("Set-Widget", "Set-Widget.md"), ("about_Widgets", null)], help.Links.Select(l => (l.Text, l.Uri)));
    }

    [Fact]
    public void AParameterMayBindDifferentlyPerSet()
    {
        var text = SampleHelp.With(
            """
            Type: SwitchParameter
            Parameter Sets: (All)
            Aliases:

            Required: False
            Position: Named
            Default value: False
            Accept pipeline input: False
            Accept wildcard characters: False
            ```
            """,
            """
            Type: SwitchParameter
            Parameter Sets: Name
            Aliases:

            Required: False
            Position: Named
            Default value: False
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ```yaml
            Type: SwitchParameter
            Parameter Sets: Id
            Aliases:

            Required: True
            Position: Named
            Default value: False
            Accept pipeline input: False
            Accept wildcard characters: False
            ```
            """).Replace("Get-Widget -Id <String> [-Force]", "Get-Widget -Id <String> -Force", StringComparison.Ordinal);

        var force = Parse(text).Parameters.Single(p => p.Name == "Force");

        Assert.False(force.BindingFor("Name")!.Required);
        Assert.True(force.BindingFor("Id")!.Required);
    }

    [Theory]
    [InlineData("## NOTES\nWidgets are fictional.\n\n", "", "## RELATED LINKS", "'## NOTES' is missing")]
    [InlineData("## INPUTS", "## INPUT", "## INPUT", "Unknown section")]
    [InlineData("# Get-Widget", "# Get-Gadget", "# Get-Gadget", "file named Get-Gadget.md")]
    [InlineData("external help file: Sample.dll-Help.xml\n", "", "---", "lacks 'external help file:'")]
    [InlineData("Gets widgets.\n", "Gets widgets.\n\nAnd more.\n", "## SYNOPSIS", "exactly one paragraph")]
    [InlineData("Get-Widget -Id <String>", "Get-Widget [-Id <String>]", "Get-Widget [-Id <String>]", "required in 'Id'")]
    [InlineData("[[-Name] <String[]>]", "[-Name <String[]>]", "Get-Widget [-Name <String[]>]", "has Position 0")]
    [InlineData("Get-Widget -Id <String> [-Force]", "Get-Widget -Id <Int32> [-Force]", "Get-Widget -Id <Int32>", "shows <Int32> but its Type is String")]
    [InlineData("[-Force] [<CommonParameters>]\n```\n\n### Id", "[-Force <SwitchParameter>] [<CommonParameters>]\n```\n\n### Id", "Get-Widget [[-Name]", "is a switch")]
    [InlineData("-Id <String> [-Force]", "-Id <String> [-Force] [-Color <String>]", "Get-Widget -Id", "has no '### -Color'")]
    [InlineData("-Id <String> [-Force]", "-Id <String>", "Get-Widget -Id", "-Force belongs to set 'Id'")]
    [InlineData("Get-Widget -Id <String>", "Get-Widgets -Id <String>", "Get-Widgets -Id", "must start with 'Get-Widget'")]
    [InlineData("-Id <String> [-Force]", "-Id <String> [-Force)", "Get-Widget -Id", "Cannot read the syntax")]
    [InlineData("### Id\n", "### Id Set\n", "### Id Set", "not a parameter set name")]
    [InlineData("### Example 2: Get one", "### Example 3: Get one", "### Example 3", "Expected 'Example 2'")]
    [InlineData("### Example 1: Get all widgets", "### Example 1 - Get all widgets", "### Example 1 -", "Example N: what it shows")]
    [InlineData("```powershell\nGet-Widget\n```", "```\nGet-Widget\n```", "### Example 1", "```powershell code block")]
    [InlineData("Gets every widget.\n", "", "### Example 1", "Example 1 has no text")]
    [InlineData("The widget id.\n", "", "### -Id", "-Id has no text")]
    [InlineData("Accept wildcard characters: True", "Accept wildcards: True", "Accept wildcards: True", "Unknown parameter property 'Accept wildcards'")]
    [InlineData("Required: True", "Required: Yes", "Required: Yes", "Required 'Yes' is not True or False")]
    [InlineData("Accept pipeline input: True (ByPropertyName)", "Accept pipeline input: True (ByName)", "Accept pipeline input: True (ByName)", "is not False, True (ByValue)")]
    [InlineData("Position: 0", "Position: First", "Position: First", "is not 'Named' or a number")]
    [InlineData("Default value: None\n", "", "```yaml\nType: String\n", "lacks 'Default value:'")]
    [InlineData("## RELATED LINKS\n\n- [Online](https://example.invalid/widget)\n- [Set-Widget](Set-Widget.md)\n- about_Widgets\n", "", "## NOTES", "'## RELATED LINKS' is missing")]
    [InlineData("- [Online](https://example.invalid/widget)\n- [Set-Widget](Set-Widget.md)\n- about_Widgets\n", "", "## RELATED LINKS", "RELATED LINKS is empty")]
    [InlineData("Type: String\n", "", "```yaml\nParameter Sets: Id", "lacks 'Type:'")]
    [InlineData("Accept pipeline input: True (ByPropertyName)\n", "", "```yaml\nType: String\n", "lacks 'Accept pipeline input:'")]
    [InlineData("Default value: None", "Default value:", "Default value:\n", "Default value is empty")]
    [InlineData("### Example 2: Get one widget by id\n```powershell\nGet-Widget -Id 42 |\n    Format-List\n```\n\nGets widget 42.\n\n", "", "## EXAMPLES", "EXAMPLES has 1 example; write at least 2")]
    [InlineData("Parameter Sets: Id", "Parameter Sets: Ids", "Get-Widget -Id", "Parameter Sets do not include 'Id'")]
    [InlineData("### -Name\nWidget", "### Name\nWidget", "### Name\nWidget", "'### -ParameterName'")]
    [InlineData("### CommonParameters\nThis cmdlet supports the common parameters.\n", "", "## PARAMETERS", "lacks '### CommonParameters'")]
    [InlineData("### Sample.Widget\n", "### A widget type\n", "### A widget type", "is not a type name")]
    [InlineData("- [Online](https://example.invalid/widget)", "- [Online](https://example.invalid/widget", "- [Online]", "is not a '[Text](uri)' link")]
    [InlineData("- Second point,\n  continued.\n", "- Second point.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b |", "paragraphs, lists and code blocks only")]
    [InlineData("### -Force\n", "### -Force\n\n#### Detail\n", "#### Detail", "Heading level 4 is out of place")]
    public void RejectsMalformedInputNamingFileAndLine(string original, string replacement, string expectedLineOf, string expectedMessage)
    {
        var text = SampleHelp.With(original, replacement);

        var error = Assert.Throws<HelpFormatException>(() => Parse(text));

        Assert.Equal(SampleHelp.FileName, error.File);
        Assert.Equal(SampleHelp.LineOf(text, expectedLineOf), error.Line);
        Assert.Contains(expectedMessage, error.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"{SampleHelp.FileName}({error.Line}): error", error.Message, StringComparison.Ordinal);
    }

    private static CommandHelp Parse(string text) => CommandHelpParser.Parse(MarkdownDocument.Parse(SampleHelp.FileName, text));
}
