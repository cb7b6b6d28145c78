using System.Xml.Linq;
using Ingestion.HelpBuilder;
using Ingestion.HelpBuilder.About;
using Ingestion.HelpBuilder.Commands;

namespace Ingestion.Help.Tests;

/// <summary>The help in module/help against the cmdlets in the built assembly: a gap on either side fails.</summary>
public sealed class HelpCoverageTests
{
    private static readonly Lazy<HelpSources> Sources = new(() => HelpCompiler.Read(RepositoryPaths.HelpSources));

    // ShouldProcess adds these two; platyPS documents them like any other parameter.
    private static readonly string[] ShouldProcessParameters = ["WhatIf", "Confirm"];

    public static TheoryData<string> CmdletNames => [.. CmdletMetadata.Cmdlets.Select(c => c.Name)];

    [Fact]
    public void EveryCmdletHasHelpAndEveryCommandHelpHasACmdlet()
    {
        Assert.NotEmpty(CmdletMetadata.Cmdlets);

        Assert.Equal(
            CmdletMetadata.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal),
            Sources.Value.Commands.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void EveryParameterIsDocumentedAsTheCodeDeclaresIt(string name)
    {
        var (cmdlet, help) = Pair(name);
        foreach (var parameter in cmdlet.Parameters)
        {
            var documented = help.Parameters.FirstOrDefault(p => p.Name == parameter.Name);
            Assert.True(documented is not null, $"{name}: -{parameter.Name} has no '### -{parameter.Name}' in {help.SourceFile}.");
            Assert.True(parameter.TypeNames.Contains(documented.Type), $"{name}: -{parameter.Name} is documented as {documented.Type}; the code says {parameter.TypeNames[1]}.");
            Assert.True(parameter.Wildcards == documented.Bindings.All(b => b.Wildcards), $"{name}: -{parameter.Name} Accept wildcard characters should be {parameter.Wildcards}.");

            foreach (var binding in documented.Bindings)
            {
                Assert.True(
                    parameter.Aliases.Order().SequenceEqual(binding.Aliases.Order()),
                    $"{name}: -{parameter.Name} Aliases '{string.Join(", ", binding.Aliases)}'; the code has '{string.Join(", ", parameter.Aliases)}'.");
            }

            var codeSets = parameter.Bindings.Select(b => b.Set).Order(StringComparer.OrdinalIgnoreCase).ToList();
            var helpSets = documented.Bindings.SelectMany(b => b.InAllSets ? [CmdletInfo.AllSets] : b.Sets).Order(StringComparer.OrdinalIgnoreCase).ToList();
            Assert.True(codeSets.SequenceEqual(helpSets, StringComparer.OrdinalIgnoreCase), $"{name}: -{parameter.Name} is in sets {string.Join(", ", helpSets)} in the help, {string.Join(", ", codeSets)} in the code ('(All)' is {CmdletInfo.AllSets}).");

            foreach (var code in parameter.Bindings)
            {
                var doc = documented.BindingFor(code.Set) ?? documented.Bindings.Single(b => b.InAllSets);
                var where = $"{name}: -{parameter.Name} in set {code.Set}";
                Assert.True(code.Mandatory == doc.Required, $"{where}: Required should be {code.Mandatory}.");
                Assert.True((code.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named") == doc.Position, $"{where}: Position should be {code.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named"}.");
                Assert.True(code.ByValue == doc.ByValue && code.ByPropertyName == doc.ByPropertyName, $"{where}: Accept pipeline input should say ByValue={code.ByValue}, ByPropertyName={code.ByPropertyName}.");
            }
        }

        var expectedExtra = cmdlet.SupportsShouldProcess ? ShouldProcessParameters : [];
        var extra = help.Parameters.Select(p => p.Name).Except(cmdlet.Parameters.Select(p => p.Name)).Order().ToList();
        Assert.True(extra.SequenceEqual(expectedExtra.Order()), $"{name}: the help documents {string.Join(", ", extra.DefaultIfEmpty("nothing"))} beyond the code's parameters; expected {string.Join(", ", expectedExtra.DefaultIfEmpty("nothing"))}.");
        foreach (var switchName in expectedExtra)
        {
            var binding = help.Parameters.Single(p => p.Name == switchName).Bindings.Single();
            Assert.True(binding is { Type: "SwitchParameter", InAllSets: true, Required: false, Position: "Named", ByValue: false, ByPropertyName: false }, $"{name}: -{switchName} is an optional named switch in all sets.");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void SyntaxListsTheCodesParameterSets(string name)
    {
        var (cmdlet, help) = Pair(name);

        Assert.Equal(cmdlet.ParameterSets.Order(StringComparer.Ordinal), help.Syntax.Select(s => s.Name).Order(StringComparer.Ordinal));
        if (cmdlet.ParameterSets.Count > 1)
        {
            Assert.Equal(cmdlet.DefaultParameterSet, help.Syntax.Single(s => s.IsDefault).Name);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void HasRealTextAndAtLeastTwoExamplesOfItself(string name)
    {
        var (_, help) = Pair(name);

        Assert.False(string.IsNullOrWhiteSpace(help.Synopsis));
        Assert.NotEmpty(help.Description);
        Assert.True(help.Examples.Count >= 2, $"{name} has {help.Examples.Count} example(s); write at least two.");
        Assert.All(help.Examples, e => Assert.True(e.Code.Contains(name, StringComparison.Ordinal), $"{name} '{e.Title}' does not run {name}."));
        Assert.Contains(help.Links, l => l.Text == "about_Ingestion");
        Assert.True(
            help.Links.Any(l => l.Text != name && CmdletMetadata.Cmdlets.Any(c => c.Name == l.Text)),
            $"{name}: RELATED LINKS names no other cmdlet of the module.");
        Assert.All(help.Links.Where(l => l.Uri is not null && l.Uri.Contains("://", StringComparison.Ordinal)), l => Assert.StartsWith("https://", l.Uri, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void InputsAndOutputsNameTheCodesTypes(string name)
    {
        var (cmdlet, help) = Pair(name);

        var outputs = help.Outputs.Select(o => o.TypeName).ToList();
        Assert.All(cmdlet.OutputTypes, t => Assert.True(outputs.Contains(t), $"{name} declares [OutputType({t})] but OUTPUTS lists {string.Join(", ", outputs)}."));

        var inputs = help.Inputs.Select(i => i.TypeName).ToList();
        var byValue = cmdlet.Parameters.Where(p => p.Bindings.Any(b => b.ByValue)).Select(p => p.PipelineTypeName).Distinct().ToList();
        Assert.All(byValue, t => Assert.True(inputs.Contains(t), $"{name} takes {t} from the pipeline by value but INPUTS lists {string.Join(", ", inputs)}."));
        if (!cmdlet.Parameters.Any(p => p.Bindings.Any(b => b.ByValue || b.ByPropertyName)))
        {
            Assert.Equal(["None"], inputs);
        }
    }

    [Fact]
    public void WhatIfAndConfirmDefaultToFalseEverywhere()
    {
        // The switches are off unless given; a prompt without -Confirm comes from ConfirmImpact against
        // $ConfirmPreference, which the text may explain but the default value must not claim.
        var checkedAny = false;
        foreach (var help in Sources.Value.Commands)
        {
            foreach (var parameter in help.Parameters.Where(p => ShouldProcessParameters.Contains(p.Name, StringComparer.Ordinal)))
            {
                foreach (var binding in parameter.Bindings)
                {
                    checkedAny = true;
                    Assert.True(binding.DefaultValue == "False", $"{help.Name}: -{parameter.Name} has 'Default value: {binding.DefaultValue}' in {help.SourceFile}; a switch defaults to False.");
                }
            }
        }

        Assert.True(checkedAny, "No -WhatIf or -Confirm was found in the help.");
    }

    [Fact]
    public void TheCompiledMamlIsWellFormedAndComplete()
    {
        var output = Directory.CreateTempSubdirectory("ingestion-help-").FullName;
        try
        {
            var written = HelpCompiler.Compile(RepositoryPaths.HelpSources, output);

            // PowerShell looks for <cmdlet assembly file name>-Help.xml next to the assembly's culture folder.
            var mamlPath = Path.Combine(output, HelpCompiler.Culture, Path.GetFileName(RepositoryPaths.CmdletAssembly) + "-Help.xml");
            Assert.Contains(mamlPath, written);
            var maml = XDocument.Load(mamlPath);
            var commands = maml.Root!.Elements(MamlWriter.Command + "command").ToList();
            Assert.Equal(CmdletMetadata.Cmdlets.Count, commands.Count);
            foreach (var command in commands)
            {
                var name = command.Element(MamlWriter.Command + "details")?.Element(MamlWriter.Command + "name")?.Value;
                Assert.False(string.IsNullOrEmpty(name));
                foreach (var part in new[] { "syntax", "parameters", "inputTypes", "returnValues", "examples", "relatedLinks" })
                {
                    Assert.True(command.Element(MamlWriter.Command + part)?.HasElements == true, $"{name}: <command:{part}> is empty.");
                }

                Assert.NotEmpty(command.Element(MamlWriter.Maml + "description")!.Elements(MamlWriter.Maml + "para"));
                Assert.All(command.Descendants(MamlWriter.Command + "syntaxItem"), s => Assert.Equal(name, s.Element(MamlWriter.Maml + "name")?.Value));
            }

            var about = Path.Combine(output, HelpCompiler.Culture, "about_Ingestion.help.txt");
            Assert.Contains(about, written);
            Assert.All(File.ReadAllLines(about), l => Assert.True(l.Length <= AboutTextWriter.Width, $"about_Ingestion line too long: '{l}'"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void AboutIngestionNamesEveryCmdletAndEveryErrorId()
    {
        var topic = Sources.Value.Topics.Single(t => t.Name == "about_Ingestion");
        var text = AboutTextWriter.Write(topic);

        Assert.NotEmpty(CmdletMetadata.ErrorIds);
        Assert.All(CmdletMetadata.Cmdlets, c => Assert.True(text.Contains(c.Name, StringComparison.Ordinal), $"about_Ingestion does not mention {c.Name}."));
        Assert.All(CmdletMetadata.ErrorIds, id => Assert.True(System.Text.RegularExpressions.Regex.IsMatch(text, $@"\b{id}\b"), $"about_Ingestion does not explain ErrorId {id}."));
    }

    private static (CmdletInfo Cmdlet, CommandHelp Help) Pair(string name)
    {
        var cmdlet = CmdletMetadata.Cmdlets.Single(c => c.Name == name);
        var help = Sources.Value.Commands.SingleOrDefault(c => c.Name == name);
        Assert.True(help is not null, $"{name} has no module/help/{name}.md.");
        return (cmdlet, help);
    }
}
