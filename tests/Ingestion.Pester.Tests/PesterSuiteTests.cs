using System.Diagnostics;
using Xunit.Abstractions;

namespace Ingestion.Pester.Tests;

/// <summary>Runs tests/pester in a child pwsh against the staged module and fails when any Pester test fails.</summary>
public sealed class PesterSuiteTests(ITestOutputHelper output)
{
    [PwshFact]
    public void PesterSuitePasses()
    {
        var root = PowerShellTools.RepositoryRoot;
        var module = Path.Combine(root, "artifacts", "module", "Ingestion", "Ingestion.psd1");
        Assert.True(File.Exists(module), $"The staged module is missing at {module}.");

        var script = $$"""
            $ErrorActionPreference = 'Stop'
            Import-Module '{{PowerShellTools.PesterManifest}}' -MinimumVersion 5.0
            $config = New-PesterConfiguration
            $config.Run.Path = '{{Path.Combine(root, "tests", "pester")}}'
            $config.Run.PassThru = $true
            $config.Output.Verbosity = 'Detailed'
            $config.Output.RenderMode = 'Plaintext'
            $PSStyle.OutputRendering = 'PlainText'
            $result = Invoke-Pester -Configuration $config
            "PESTER: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
            if ($result.FailedCount -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
            """;
        var start = new ProcessStartInfo(PowerShellTools.Pwsh!, ["-NoProfile", "-NonInteractive", "-Command", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        start.Environment["INGESTION_MODULE_PATH"] = module;

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output.WriteLine(stdout);
        output.WriteLine(stderr.Result);

        Assert.True(process.ExitCode == 0, $"Pester failed (exit {process.ExitCode}):\n{stdout}\n{stderr.Result}");
        Assert.Contains("PESTER: ", stdout);
        Assert.DoesNotContain("PESTER: 0 passed", stdout);
    }
}
