using System.Diagnostics;
using System.Xml.Linq;
using Ingestion.HelpBuilder.Commands;

namespace Ingestion.Help.Tests;

/// <summary>The compiler as the build runs it: a separate process, judged by exit code and output.</summary>
public sealed class HelpBuilderProgramTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("ingestion-help-").FullName;

    [Fact]
    public void CompilesASourceFolderIntoTheCultureFolder()
    {
        var source = Directory.CreateDirectory(Path.Combine(work, "src")).FullName;
        File.WriteAllText(Path.Combine(source, SampleHelp.FileName), SampleHelp.Text);
        File.WriteAllText(Path.Combine(source, "about_Widgets.md"), "# about_Widgets\n\n## SHORT DESCRIPTION\nWidgets.\n\n## LONG DESCRIPTION\nMore on widgets.\n");

        var (exit, _, stderr) = Run("--source", source, "--out", Path.Combine(work, "out"));

        Assert.True(exit == 0, stderr);
        var maml = XDocument.Load(Path.Combine(work, "out", "en-US", "Sample.dll-Help.xml"));
        Assert.Equal("Get-Widget", maml.Descendants(MamlWriter.Command + "name").First().Value);
        Assert.StartsWith("TOPIC", File.ReadAllText(Path.Combine(work, "out", "en-US", "about_Widgets.help.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedSourceExitsWithOneAndNamesFileAndLine()
    {
        var source = Directory.CreateDirectory(Path.Combine(work, "src")).FullName;
        var text = SampleHelp.With("Required: True", "Required: maybe");
        File.WriteAllText(Path.Combine(source, SampleHelp.FileName), text);

        var (exit, _, stderr) = Run("--source", source, "--out", Path.Combine(work, "out"));

        Assert.Equal(1, exit);
        Assert.Contains($"{Path.Combine(source, SampleHelp.FileName)}({SampleHelp.LineOf(text, "Required: maybe")}): error HELP001: Required 'maybe'", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(work, "out", "en-US")) && Directory.EnumerateFiles(Path.Combine(work, "out", "en-US")).Any());
    }

    [Theory]
    [InlineData("--source")]
    [InlineData("--bogus", "x")]
    public void WrongUsageExitsWithTwo(params string[] arguments)
    {
        var (exit, _, stderr) = Run(arguments);

        Assert.Equal(2, exit);
        Assert.Contains("usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutSourcesIsAnError()
    {
        var (exit, _, stderr) = Run("--source", work, "--out", Path.Combine(work, "out"));

        Assert.Equal(2, exit);
        Assert.Contains("holds no *.md file", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static (int Exit, string Stdout, string Stderr) Run(params string[] arguments)
    {
        var builder = typeof(MamlWriter).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost(), [builder, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
