using Ingestion.HelpBuilder;

// Usage: Ingestion.HelpBuilder --source <folder of *.md> --out <folder>; writes <out>/en-US/*.
// Exit codes: 0 written, 1 malformed help source, 2 wrong usage or missing folder.
string? source = null, output = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--source" when i + 1 < args.Length:
            source = args[++i];
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        default:
            return Usage($"unexpected argument '{args[i]}'");
    }
}

if (source is null || output is null)
{
    return Usage("both --source and --out are required");
}

try
{
    foreach (var file in HelpCompiler.Compile(Path.GetFullPath(source), Path.GetFullPath(output)))
    {
        Console.WriteLine($"Ingestion.HelpBuilder: wrote {file}");
    }

    return 0;
}
catch (HelpFormatException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
catch (DirectoryNotFoundException ex)
{
    return Usage(ex.Message);
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"Ingestion.HelpBuilder: error HELP000: {problem}");
    Console.Error.WriteLine("usage: Ingestion.HelpBuilder --source <folder with *.md help sources> --out <output folder>");
    return 2;
}
