using System.Diagnostics;

namespace Ingestion.Parquet.Tests;

/// <summary>
/// Runs SQL in DuckDB through node (interop/duckdb.mjs), installing the npm package on first use.
/// Tests that need it are skipped, with the reason, where node or npm is not on the PATH.
/// </summary>
internal static class DuckDb
{
    private static readonly Lazy<string> Installed = new(Install);

    public static string InteropDirectory => Path.Combine(TestPaths.RepositoryRoot, "tests", "Ingestion.Parquet.Tests", "interop");

    public static string? MissingToolReason { get; } = FindMissingTool();

    private static string? FindMissingTool()
    {
        foreach (var tool in new[] { "node", "npm" })
        {
            if (FindOnPath(tool) is null)
            {
                return $"DuckDB interop needs {tool} on the PATH.";
            }
        }
        return null;
    }

    private static string? FindOnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd" } : new[] { "" };
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => extensions.Select(ext => Path.Combine(dir, tool + ext)))
            .FirstOrDefault(File.Exists);
    }

    private static string Install()
    {
        var package = Path.Combine(InteropDirectory, "node_modules", "@duckdb", "node-api", "package.json");
        if (!File.Exists(package))
        {
            var (code, output) = Exec(FindOnPath("npm")!, ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            if (code != 0 || !File.Exists(package))
            {
                throw new InvalidOperationException($"npm ci failed in {InteropDirectory} (exit {code}):\n{output}");
            }
        }
        return FindOnPath("node")!;
    }

    /// <summary>Runs the statements in one database; returns what SELECTs printed (JSON rows, one line per statement).</summary>
    public static string Run(params string[] statements)
    {
        var node = Installed.Value;
        var (code, output) = Exec(node, [Path.Combine(InteropDirectory, "duckdb.mjs"), .. statements], TimeSpan.FromMinutes(2));
        if (code != 0)
        {
            throw new InvalidOperationException($"DuckDB failed (exit {code}):\n{output}");
        }
        return output;
    }

    public static string Quote(string path) => "'" + path.Replace("'", "''") + "'";

    private static (int Code, string Output) Exec(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout}.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that needs DuckDB; skipped with the reason when node or npm is missing.</summary>
public sealed class InteropFactAttribute : FactAttribute
{
    public InteropFactAttribute()
    {
        if (DuckDb.MissingToolReason is { } reason) Skip = reason;
    }
}

public sealed class InteropTheoryAttribute : TheoryAttribute
{
    public InteropTheoryAttribute()
    {
        if (DuckDb.MissingToolReason is { } reason) Skip = reason;
    }
}
