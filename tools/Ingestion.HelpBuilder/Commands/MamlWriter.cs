using System.Xml.Linq;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder.Commands;

/// <summary>Writes MAML the way platyPS does, so Get-Help shows it like any other module's help.</summary>
internal static class MamlWriter
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    public static XDocument Write(IEnumerable<CommandHelp> commands) =>
        new(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                commands.Select(WriteCommand)));

    private static XElement WriteCommand(CommandHelp help) =>
        new(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            new XElement(
                Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun),
                Description([new ParagraphBlock(0, help.Synopsis)])),
            Description(help.Description),
            new XElement(Command + "syntax", help.Syntax.Select(set => SyntaxItem(help, set))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Bindings[0], Required(p), inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeEntry("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeEntry("returnValue", t))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", help.Links.Select(Link)));

    private static XElement SyntaxItem(CommandHelp help, SyntaxSet set) =>
        new(
            Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            set.ParameterNames.Select(name =>
            {
                var parameter = help.Parameters.First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                var binding = parameter.BindingFor(set.Name)!;
                return Parameter(parameter, binding, binding.Required, inSyntax: true);
            }));

    // Under PARAMETERS a parameter is shown once: required only where every set requires it.
    private static bool Required(ParameterHelp parameter) => parameter.Bindings.All(b => b.Required);

    private static XElement Parameter(ParameterHelp parameter, ParameterBinding binding, bool required, bool inSyntax)
    {
        var element = new XElement(
            Command + "parameter",
            new XAttribute("required", Lower(required)),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", Lower(binding.Wildcards)),
            new XAttribute("pipelineInput", PipelineInput(parameter, binding, inSyntax)),
            new XAttribute("position", binding.Position.ToLowerInvariant()),
            new XAttribute("aliases", binding.Aliases.Count > 0 ? string.Join(", ", binding.Aliases) : "none"),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));
        if (inSyntax && binding.AcceptedValues.Count > 0)
        {
            element.Add(new XElement(
                Command + "parameterValueGroup",
                binding.AcceptedValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        }

        // platyPS leaves the value type off switches in the syntax, so Get-Help shows "[-PassThru]" and not "[-PassThru <SwitchParameter>]".
        if (!inSyntax || !parameter.IsSwitch)
        {
            element.Add(new XElement(
                Command + "parameterValue",
                new XAttribute("required", Lower(!parameter.IsSwitch)),
                new XAttribute("variableLength", "false"),
                parameter.Type));
        }

        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", binding.DefaultValue));
        return element;
    }

    // A parameter that binds differently per set shows every variant under PARAMETERS.
    private static string PipelineInput(ParameterHelp parameter, ParameterBinding binding, bool inSyntax)
    {
        var distinct = parameter.Bindings.Select(b => b.PipelineInput).Distinct().ToList();
        return inSyntax || distinct.Count == 1
            ? binding.PipelineInput
            : string.Join("; ", parameter.Bindings.Select(b => $"{b.PipelineInput} in {string.Join(", ", b.Sets)}"));
    }

    private static XElement TypeEntry(string elementName, TypeHelp type) =>
        new(
            Command + elementName,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            Description(type.Description));

    private static XElement Example(ExampleHelp example) =>
        new(
            Command + "example",
            new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
            new XElement(Dev + "code", example.Code),
            // The trailing empty paragraph is what puts a blank line between examples in Get-Help.
            new XElement(Dev + "remarks", Paragraphs(example.Remarks), new XElement(Maml + "para")));

    private static XElement Link(RelatedLink link) =>
        new(
            Maml + "navigationLink",
            new XElement(Maml + "linkText", link.Text),
            // Relative links point at sibling markdown files, which mean nothing inside Get-Help.
            new XElement(Maml + "uri", link.Uri is { } uri && IsWebAddress(uri) ? uri : string.Empty));

    private static XElement Description(IReadOnlyList<Block> blocks) => new(Maml + "description", Paragraphs(blocks));

    private static IEnumerable<XElement> Paragraphs(IReadOnlyList<Block> blocks)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case ParagraphBlock paragraph:
                    yield return new XElement(Maml + "para", paragraph.Text);
                    break;
                case ListItemBlock item:
                    yield return new XElement(Maml + "para", $"{item.Marker} {item.Text}");
                    break;
                case CodeBlock code:
                    // Get-Help re-wraps paragraphs, so each code line gets its own, indented like a listing.
                    foreach (var line in code.Lines)
                    {
                        yield return new XElement(Maml + "para", "    " + line);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"{block.GetType().Name} at line {block.Line} cannot be written as MAML.");
            }
        }
    }

    private static bool IsWebAddress(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp);

    private static string Lower(bool value) => value ? "true" : "false";
}
