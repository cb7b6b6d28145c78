using System.Text.RegularExpressions;
using Ingestion.HelpBuilder.Markdown;

namespace Ingestion.HelpBuilder.Commands;

/// <summary>Reads the platyPS YAML block under a parameter. Keys are fixed; unknown keys and odd values are errors, not ignored.</summary>
internal static partial class ParameterYaml
{
    private const string TypeKey = "Type";
    private const string SetsKey = "Parameter Sets";
    private const string AliasesKey = "Aliases";
    private const string AcceptedValuesKey = "Accepted values";
    private const string RequiredKey = "Required";
    private const string PositionKey = "Position";
    private const string DefaultKey = "Default value";
    private const string PipelineKey = "Accept pipeline input";
    private const string WildcardKey = "Accept wildcard characters";

    private static readonly string[] RequiredKeys = [TypeKey, SetsKey, AliasesKey, RequiredKey, PositionKey, DefaultKey, PipelineKey, WildcardKey];
    private static readonly HashSet<string> KnownKeys = [.. RequiredKeys, AcceptedValuesKey];

    public static ParameterBinding Read(string file, CodeBlock block)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        for (var i = 0; i < block.Lines.Count; i++)
        {
            var line = block.Lines[i];
            var number = block.Line + 1 + i;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var key = colon > 0 ? line[..colon].Trim() : string.Empty;
            if (!KnownKeys.Contains(key))
            {
                throw new HelpFormatException(file, number, $"Unknown parameter property '{(colon > 0 ? key : line.Trim())}'; expected one of: {string.Join(", ", KnownKeys)}.");
            }

            if (!values.TryAdd(key, (line[(colon + 1)..].Trim(), number)))
            {
                throw new HelpFormatException(file, number, $"'{key}' appears twice in one parameter block.");
            }
        }

        foreach (var key in RequiredKeys)
        {
            if (!values.ContainsKey(key))
            {
                throw new HelpFormatException(file, block.Line, $"The parameter block lacks '{key}:'.");
            }
        }

        var (type, typeLine) = values[TypeKey];
        if (!TypeName().IsMatch(type))
        {
            throw new HelpFormatException(file, typeLine, $"'{type}' is not a type name.");
        }

        var (sets, setsLine) = values[SetsKey];
        var setNames = sets == "(All)" ? [] : List(sets);
        if (setNames.Count == 0 && sets != "(All)")
        {
            throw new HelpFormatException(file, setsLine, "Parameter Sets is empty; write '(All)' or the set names separated by commas.");
        }

        var (pipeline, pipelineLine) = values[PipelineKey];
        var pipelineMatch = Pipeline().Match(pipeline);
        if (!pipelineMatch.Success)
        {
            throw new HelpFormatException(file, pipelineLine, $"Accept pipeline input '{pipeline}' is not False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName).");
        }

        var (position, positionLine) = values[PositionKey];
        if (position != "Named" && !(int.TryParse(position, out var index) && index >= 0))
        {
            throw new HelpFormatException(file, positionLine, $"Position '{position}' is not 'Named' or a number.");
        }

        var (defaultValue, defaultLine) = values[DefaultKey];
        if (defaultValue.Length == 0)
        {
            throw new HelpFormatException(file, defaultLine, "Default value is empty; write 'None' when there is none.");
        }

        var aliases = values[AliasesKey].Value;
        return new ParameterBinding(
            type,
            setNames,
            aliases is "" or "None" ? [] : List(aliases),
            values.TryGetValue(AcceptedValuesKey, out var accepted) ? List(accepted.Value) : [],
            Boolean(file, values[RequiredKey], RequiredKey),
            position,
            defaultValue,
            ByValue: pipelineMatch.Groups["value"].Success,
            ByPropertyName: pipelineMatch.Groups["property"].Success,
            Boolean(file, values[WildcardKey], WildcardKey),
            block.Line);
    }

    private static List<string> List(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static bool Boolean(string file, (string Value, int Line) entry, string key) => entry.Value switch
    {
        "True" => true,
        "False" => false,
        _ => throw new HelpFormatException(file, entry.Line, $"{key} '{entry.Value}' is not True or False."),
    };

    [GeneratedRegex(@"^[A-Za-z_][\w.`]*(\[\])?$")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"^(False|True \((?:(?<value>ByValue)(?:, (?<property>ByPropertyName))?|(?<property>ByPropertyName))\))$")]
    private static partial Regex Pipeline();
}
