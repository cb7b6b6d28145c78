namespace Ingestion.HelpBuilder;

/// <summary>Malformed help source. The message uses the canonical "file(line): error" form so MSBuild lists it as a build error.</summary>
internal sealed class HelpFormatException(string file, int line, string problem) : Exception($"{file}({line}): error HELP001: {problem}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Problem { get; } = problem;
}
