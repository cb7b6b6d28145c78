using System.Text.RegularExpressions;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder.Commands;

/// <summary>
/// Reads a cmdlet help source in the platyPS layout and checks it is complete and consistent
/// (sections in order, every syntax parameter documented, brackets agreeing with Required and Position).
/// </summary>
internal static partial class CommandHelpParser
{
    public const string ExternalHelpFileKey = "external help file";
    public const string ModuleNameKey = "Module Name";

    /// <summary>Every cmdlet shows at least this many examples in Get-Help (issue 8).</summary>
    internal const int MinimumExamples = 2;

    private static readonly string[] SectionOrder =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    public static CommandHelp Parse(MarkdownDocument document)
    {
        var file = document.File;
        var externalHelpFile = FrontMatterValue(document, ExternalHelpFileKey);
        if (!ExternalHelpFileName().IsMatch(externalHelpFile))
        {
            throw new HelpFormatException(file, 1, $"'{ExternalHelpFileKey}: {externalHelpFile}' must name a file like 'Assembly.dll-Help.xml'.");
        }

        var moduleName = FrontMatterValue(document, ModuleNameKey);
        if (document.Blocks.FirstOrDefault() is not HeadingBlock { Level: 1 } title)
        {
            throw new HelpFormatException(file, document.Blocks.FirstOrDefault()?.Line ?? 1, "The help must start with '# Verb-Noun'.");
        }

        var name = title.Text;
        if (!CommandName().IsMatch(name))
        {
            throw new HelpFormatException(file, title.Line, $"'{name}' is not a Verb-Noun command name.");
        }

        var expectedFile = name + ".md";
        if (!string.Equals(Path.GetFileName(file), expectedFile, StringComparison.Ordinal))
        {
            throw new HelpFormatException(file, title.Line, $"The help for {name} must be in a file named {expectedFile}.");
        }

        var sections = ReadSections(file, document.Blocks.Skip(1).ToList(), title.Line);
        var parameters = ReadParameters(file, sections["PARAMETERS"]);
        var syntax = ReadSyntax(file, name, sections["SYNTAX"], parameters);
        return new CommandHelp(
            name,
            file,
            externalHelpFile,
            moduleName,
            ReadSynopsis(file, sections["SYNOPSIS"]),
            syntax,
            SectionReader.Prose(file, sections["DESCRIPTION"].Heading.Line, sections["DESCRIPTION"].Body, "DESCRIPTION", required: true),
            ReadExamples(file, sections["EXAMPLES"]),
            parameters,
            ReadTypes(file, sections["INPUTS"]),
            ReadTypes(file, sections["OUTPUTS"]),
            SectionReader.Prose(file, sections["NOTES"].Heading.Line, sections["NOTES"].Body, "NOTES", required: true),
            ReadLinks(file, sections["RELATED LINKS"]));
    }

    private static string FrontMatterValue(MarkdownDocument document, string key) =>
        document.FrontMatter.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new HelpFormatException(document.File, 1, $"The front matter lacks '{key}:'.");

    private static Dictionary<string, (HeadingBlock Heading, IReadOnlyList<Block> Body)> ReadSections(string file, IReadOnlyList<Block> blocks, int titleLine)
    {
        var sections = new Dictionary<string, (HeadingBlock, IReadOnlyList<Block>)>(StringComparer.Ordinal);
        var next = 0;
        foreach (var (heading, body) in SectionReader.Split(file, blocks, 2, "a cmdlet help file"))
        {
            var position = Array.IndexOf(SectionOrder, heading.Text);
            if (position < 0)
            {
                throw new HelpFormatException(file, heading.Line, $"Unknown section '## {heading.Text}'; the sections are {string.Join(", ", SectionOrder)}.");
            }

            if (position != next)
            {
                throw new HelpFormatException(file, heading.Line, position < next
                    ? $"'## {heading.Text}' appears twice or out of order."
                    : $"'## {SectionOrder[next]}' is missing before '## {heading.Text}'.");
            }

            sections[heading.Text] = (heading, body);
            next++;
        }

        if (next < SectionOrder.Length)
        {
            throw new HelpFormatException(file, sections.Count == 0 ? titleLine : sections.Values.Max(s => s.Item1.Line), $"'## {SectionOrder[next]}' is missing.");
        }

        return sections;
    }

    private static string ReadSynopsis(string file, (HeadingBlock Heading, IReadOnlyList<Block> Body) section) =>
        section.Body is [ParagraphBlock { Text.Length: > 0 } paragraph]
            ? paragraph.Text
            : throw new HelpFormatException(file, section.Heading.Line, "SYNOPSIS must be exactly one paragraph.");

    private static List<SyntaxSet> ReadSyntax(string file, string commandName, (HeadingBlock Heading, IReadOnlyList<Block> Body) section, IReadOnlyList<ParameterHelp> parameters)
    {
        var sets = new List<SyntaxSet>();
        foreach (var (heading, body) in SectionReader.Split(file, section.Body, 3, "SYNTAX"))
        {
            var match = SetHeading().Match(heading.Text);
            if (!match.Success)
            {
                throw new HelpFormatException(file, heading.Line, $"'### {heading.Text}' is not a parameter set name (optionally followed by ' (Default)').");
            }

            if (body is not [CodeBlock code])
            {
                throw new HelpFormatException(file, heading.Line, $"Parameter set '{match.Groups[1].Value}' needs exactly one code block with the syntax line.");
            }

            var setName = match.Groups[1].Value;
            if (sets.Any(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpFormatException(file, heading.Line, $"Parameter set '{setName}' is listed twice.");
            }

            var tokens = SyntaxLine.Read(file, code.Line + 1, commandName, string.Join(' ', code.Lines));
            foreach (var token in tokens)
            {
                CheckToken(file, code.Line + 1, setName, token, parameters);
            }

            foreach (var parameter in parameters.Where(p => p.BindingFor(setName) is not null))
            {
                if (!tokens.Any(t => string.Equals(t.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new HelpFormatException(file, code.Line + 1, $"-{parameter.Name} belongs to set '{setName}' but is missing from its syntax line.");
                }
            }

            sets.Add(new SyntaxSet(setName, match.Groups[2].Success, tokens.Select(t => t.Name).ToList()));
        }

        if (sets.Count == 0)
        {
            throw new HelpFormatException(file, section.Heading.Line, "SYNTAX lists no parameter set.");
        }

        if (sets.Count > 1 && sets.Count(s => s.IsDefault) != 1)
        {
            throw new HelpFormatException(file, section.Heading.Line, "With several parameter sets, exactly one is marked ' (Default)'.");
        }

        foreach (var parameter in parameters)
        {
            foreach (var set in parameter.Bindings.SelectMany(b => b.Sets))
            {
                if (!sets.Any(s => string.Equals(s.Name, set, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new HelpFormatException(file, parameter.Line, $"-{parameter.Name} names parameter set '{set}', which SYNTAX does not list.");
                }
            }
        }

        return sets;
    }

    private static void CheckToken(string file, int line, string setName, SyntaxToken token, IReadOnlyList<ParameterHelp> parameters)
    {
        var parameter = parameters.FirstOrDefault(p => string.Equals(p.Name, token.Name, StringComparison.OrdinalIgnoreCase))
            ?? throw new HelpFormatException(file, line, $"-{token.Name} is in the syntax of '{setName}' but has no '### -{token.Name}' under PARAMETERS.");
        var binding = parameter.BindingFor(setName)
            ?? throw new HelpFormatException(file, line, $"-{token.Name} is in the syntax of '{setName}', but its Parameter Sets do not include '{setName}'.");
        if (token.Optional == binding.Required)
        {
            throw new HelpFormatException(file, line, $"-{token.Name} is {(binding.Required ? "required" : "optional")} in '{setName}' (line {binding.Line}) but the syntax line shows it {(token.Optional ? "in brackets" : "without brackets")}.");
        }

        if (token.Positional != (binding.Position != "Named"))
        {
            throw new HelpFormatException(file, line, $"-{token.Name} has Position {binding.Position} (line {binding.Line}) but the syntax line shows it {(token.Positional ? "as positional" : "as named")}.");
        }

        if (parameter.IsSwitch != (token.Type is null))
        {
            throw new HelpFormatException(file, line, parameter.IsSwitch
                ? $"-{token.Name} is a switch; the syntax line must not show a value type for it."
                : $"-{token.Name} takes a value; the syntax line must show '<{parameter.Type}>'.");
        }

        if (token.Type is not null && token.Type != parameter.Type)
        {
            throw new HelpFormatException(file, line, $"-{token.Name} shows <{token.Type}> but its Type is {parameter.Type} (line {binding.Line}).");
        }
    }

    private static List<ExampleHelp> ReadExamples(string file, (HeadingBlock Heading, IReadOnlyList<Block> Body) section)
    {
        var examples = new List<ExampleHelp>();
        foreach (var (heading, body) in SectionReader.Split(file, section.Body, 3, "EXAMPLES"))
        {
            var match = ExampleHeading().Match(heading.Text);
            if (!match.Success)
            {
                throw new HelpFormatException(file, heading.Line, $"'### {heading.Text}' must read 'Example N: what it shows'.");
            }

            if (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) != examples.Count + 1)
            {
                throw new HelpFormatException(file, heading.Line, $"Expected 'Example {examples.Count + 1}'.");
            }

            if (body.FirstOrDefault() is not CodeBlock { Language: "powershell" } code)
            {
                throw new HelpFormatException(file, heading.Line, "An example starts with a ```powershell code block.");
            }

            if (code.Lines.All(string.IsNullOrWhiteSpace))
            {
                throw new HelpFormatException(file, code.Line, "The example's code block is empty.");
            }

            var remarks = SectionReader.Prose(file, heading.Line, body.Skip(1).ToList(), $"Example {examples.Count + 1}", required: true);
            examples.Add(new ExampleHelp(heading.Text, code.Text, remarks, code.Line));
        }

        return examples.Count switch
        {
            0 => throw new HelpFormatException(file, section.Heading.Line, "EXAMPLES has no example."),
            < MinimumExamples => throw new HelpFormatException(file, section.Heading.Line, $"EXAMPLES has {examples.Count} example; write at least {MinimumExamples}."),
            _ => examples,
        };
    }

    private static List<ParameterHelp> ReadParameters(string file, (HeadingBlock Heading, IReadOnlyList<Block> Body) section)
    {
        var parameters = new List<ParameterHelp>();
        var sawCommon = false;
        foreach (var (heading, body) in SectionReader.Split(file, section.Body, 3, "PARAMETERS"))
        {
            if (sawCommon)
            {
                throw new HelpFormatException(file, heading.Line, "'### CommonParameters' comes last under PARAMETERS.");
            }

            if (heading.Text == "CommonParameters")
            {
                SectionReader.Prose(file, heading.Line, body, "CommonParameters", required: true);
                sawCommon = true;
                continue;
            }

            var match = ParameterHeading().Match(heading.Text);
            if (!match.Success)
            {
                throw new HelpFormatException(file, heading.Line, $"'### {heading.Text}' must read '### -ParameterName' or '### CommonParameters'.");
            }

            var name = match.Groups[1].Value;
            if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpFormatException(file, heading.Line, $"-{name} is documented twice.");
            }

            var firstYaml = body.ToList().FindIndex(b => b is CodeBlock { Language: "yaml" });
            if (firstYaml < 0)
            {
                throw new HelpFormatException(file, heading.Line, $"-{name} has no ```yaml block with its Type, Parameter Sets, Required, Position and the rest.");
            }

            var description = SectionReader.Prose(file, heading.Line, body.Take(firstYaml).ToList(), $"-{name}", required: true);
            var bindings = new List<ParameterBinding>();
            foreach (var block in body.Skip(firstYaml))
            {
                if (block is not CodeBlock { Language: "yaml" } yaml)
                {
                    throw new HelpFormatException(file, block.Line, $"Only ```yaml blocks may follow the first one under -{name}.");
                }

                bindings.Add(ParameterYaml.Read(file, yaml));
            }

            CheckBindings(file, name, bindings);
            parameters.Add(new ParameterHelp(name, description, bindings, heading.Line));
        }

        if (!sawCommon)
        {
            throw new HelpFormatException(file, section.Heading.Line, "PARAMETERS lacks '### CommonParameters'.");
        }

        return parameters;
    }

    private static void CheckBindings(string file, string name, List<ParameterBinding> bindings)
    {
        if (bindings.Count > 1 && bindings.Any(b => b.InAllSets))
        {
            throw new HelpFormatException(file, bindings[1].Line, $"-{name} has a block for '(All)' sets and another block; use one or the other.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var binding in bindings)
        {
            if (binding.Type != bindings[0].Type)
            {
                throw new HelpFormatException(file, binding.Line, $"-{name} has Type '{binding.Type}' here and '{bindings[0].Type}' above.");
            }

            foreach (var set in binding.Sets)
            {
                if (!seen.Add(set))
                {
                    throw new HelpFormatException(file, binding.Line, $"-{name} describes parameter set '{set}' twice.");
                }
            }
        }
    }

    private static List<TypeHelp> ReadTypes(string file, (HeadingBlock Heading, IReadOnlyList<Block> Body) section)
    {
        var types = new List<TypeHelp>();
        foreach (var (heading, body) in SectionReader.Split(file, section.Body, 3, section.Heading.Text))
        {
            if (!TypeHeading().IsMatch(heading.Text))
            {
                throw new HelpFormatException(file, heading.Line, $"'### {heading.Text}' is not a type name (write the full name, or None).");
            }

            types.Add(new TypeHelp(heading.Text, SectionReader.Prose(file, heading.Line, body, heading.Text, required: true)));
        }

        return types.Count > 0 ? types : throw new HelpFormatException(file, section.Heading.Line, $"{section.Heading.Text} lists no type; write '### None' and say why.");
    }

    private static List<RelatedLink> ReadLinks(string file, (HeadingBlock Heading, IReadOnlyList<Block> Body) section)
    {
        var links = new List<RelatedLink>();
        foreach (var block in section.Body)
        {
            if (block is not ListItemBlock item)
            {
                throw new HelpFormatException(file, block.Line, "RELATED LINKS holds list items only: '- [Text](uri)' or '- Text'.");
            }

            var link = Link().Match(item.Text);
            links.Add(link.Success
                ? new RelatedLink(link.Groups[1].Value, link.Groups[2].Value)
                : item.Text.Contains('[') || item.Text.Contains("](", StringComparison.Ordinal)
                    ? throw new HelpFormatException(file, item.Line, $"'{item.Text}' is not a '[Text](uri)' link.")
                    : new RelatedLink(item.Text, null));
        }

        return links.Count > 0 ? links : throw new HelpFormatException(file, section.Heading.Line, "RELATED LINKS is empty.");
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z]+-[A-Z]\w+$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"^[\w.]+\.dll-Help\.xml$")]
    private static partial Regex ExternalHelpFileName();

    [GeneratedRegex(@"^(\w+)( \(Default\))?$")]
    private static partial Regex SetHeading();

    [GeneratedRegex(@"^Example (\d+): \S.*$")]
    private static partial Regex ExampleHeading();

    [GeneratedRegex(@"^-([A-Za-z]\w*)$")]
    private static partial Regex ParameterHeading();

    [GeneratedRegex(@"^(None|[A-Za-z_][\w.`]*(\[\])?)$")]
    private static partial Regex TypeHeading();

    [GeneratedRegex(@"^\[([^\]]+)\]\(([^)\s]+)\)$")]
    private static partial Regex Link();
}
