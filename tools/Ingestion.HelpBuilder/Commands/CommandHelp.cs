using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder.Commands;

/// <summary>One cmdlet's help as read from <c>module/help/Verb-Noun.md</c>. Prose stays as markdown blocks until a writer renders it.</summary>
internal sealed record CommandHelp(
    string Name,
    string SourceFile,
    string ExternalHelpFile,
    string ModuleName,
    string Synopsis,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<Block> Description,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<Block> Notes,
    IReadOnlyList<RelatedLink> Links)
{
    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];
}

/// <summary>A parameter set as the SYNTAX section lists it; the parameter order is the order shown by Get-Help.</summary>
internal sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<string> ParameterNames);

internal sealed record ParameterHelp(string Name, IReadOnlyList<Block> Description, IReadOnlyList<ParameterBinding> Bindings, int Line)
{
    public string Type => Bindings[0].Type;

    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    /// <summary>The binding that applies in <paramref name="setName"/>, or null when the parameter is not in that set.</summary>
    public ParameterBinding? BindingFor(string setName) =>
        Bindings.FirstOrDefault(b => b.InAllSets || b.Sets.Contains(setName, StringComparer.OrdinalIgnoreCase));
}

/// <summary>One YAML block under a parameter: how it binds in the sets it names. Several blocks describe a parameter whose attributes differ by set.</summary>
internal sealed record ParameterBinding(
    string Type,
    IReadOnlyList<string> Sets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    string Position,
    string DefaultValue,
    bool ByValue,
    bool ByPropertyName,
    bool Wildcards,
    int Line)
{
    public bool InAllSets => Sets.Count == 0;

    /// <summary>The text platyPS writes for pipeline input, e.g. "True (ByValue, ByPropertyName)".</summary>
    public string PipelineInput =>
        (ByValue, ByPropertyName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };
}

/// <summary><see cref="CodeLine"/> is where the code block starts, so a test that parses the code can point at it.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<Block> Remarks, int CodeLine);

internal sealed record TypeHelp(string TypeName, IReadOnlyList<Block> Description);

internal sealed record RelatedLink(string Text, string? Uri);
