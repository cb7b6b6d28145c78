using System.Diagnostics;
using System.Text.Json;
using Ingestion.HelpBuilder;
using Xunit.Abstractions;

namespace Ingestion.Help.Tests;

/// <summary>
/// Every example is parsed by PowerShell's own parser (one pwsh process for all of them), and every call
/// to one of our cmdlets may only use parameters that cmdlet has.
/// </summary>
public sealed class ExampleParseTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private const string Script = """
        $ErrorActionPreference = 'Stop'
        $examples = Get-Content -Raw -LiteralPath $env:INGESTION_EXAMPLES | ConvertFrom-Json
        foreach ($example in $examples) {
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref]$tokens, [ref]$errors)
            foreach ($e in $errors) { "ERROR`t$($example.where)`t$($e.Extent.StartLineNumber)`t$($e.Message)" }
            foreach ($call in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $name = $call.GetCommandName()
                if ($name -like '*-Ingest*') {
                    $parameters = @($call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object ParameterName)
                    "CALL`t$($example.where)`t$name`t$($parameters -join ',')"
                }
            }
        }
        "PARSED`t$(@($examples).Count)"
        """;

    [PwshFact]
    public void EveryExampleParsesAndCallsOurCmdletsWithRealParameters()
    {
        var sources = HelpCompiler.Read(RepositoryPaths.HelpSources);
        var examples = sources.Commands
            .SelectMany(c => c.Examples.Select(e => new { where = $"{Path.GetFileName(c.SourceFile)}:{e.CodeLine} {e.Title}", code = e.Code }))
            .ToList();
        Assert.NotEmpty(examples);
        var json = Path.GetTempFileName();
        try
        {
            File.WriteAllText(json, JsonSerializer.Serialize(examples));
            var lines = RunPwsh(json);

            var errors = lines.Where(l => l.StartsWith("ERROR\t", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, "Examples that do not parse:\n" + string.Join('\n', errors));
            Assert.Contains($"PARSED\t{examples.Count}", lines);

            var problems = new List<string>();
            var calls = lines.Where(l => l.StartsWith("CALL\t", StringComparison.Ordinal)).Select(l => l.Split('\t')).ToList();
            Assert.NotEmpty(calls);
            foreach (var call in calls)
            {
                var (where, command, parameters) = (call[1], call[2], call[3].Split(',', StringSplitOptions.RemoveEmptyEntries));
                var cmdlet = CmdletMetadata.Cmdlets.FirstOrDefault(c => c.Name == command);
                if (cmdlet is null)
                {
                    problems.Add($"{where}: {command} is not a cmdlet of the module.");
                    continue;
                }

                var known = cmdlet.Parameters.SelectMany(p => p.Aliases.Append(p.Name))
                    .Concat(cmdlet.SupportsShouldProcess ? ["WhatIf", "Confirm"] : [])
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                problems.AddRange(parameters.Where(p => !known.Contains(p) && !CommonParameters.Contains(p)).Select(p => $"{where}: {command} has no -{p}."));
            }

            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }
        finally
        {
            File.Delete(json);
        }
    }

    private List<string> RunPwsh(string examplesJson)
    {
        var start = new ProcessStartInfo(PowerShellLocator.Pwsh!, ["-NoProfile", "-NonInteractive", "-Command", Script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["INGESTION_EXAMPLES"] = examplesJson;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.WriteLine(stdout);
        Assert.True(process.ExitCode == 0, $"pwsh failed (exit {process.ExitCode}): {stderr.Result}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
    }
}
