using System.Reflection;
using System.Text.RegularExpressions;

namespace Ingestion.PowerShell.Tests;

/// <summary>The static manifest agrees with what is built: exports, version, PowerShell requirements.</summary>
public sealed partial class ManifestTests
{
    private static readonly string Manifest = File.ReadAllText(Repository.Manifest);

    [Fact]
    public void CmdletsToExportListsExactlyTheCmdletsInTheAssembly()
    {
        var exported = Strings(ArrayOf("CmdletsToExport")).Order(StringComparer.Ordinal);
        var built = ModuleMetadata.Instance.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal);
        Assert.Equal(built, exported);
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("AliasesToExport")]
    [InlineData("VariablesToExport")]
    public void OtherExportsAreExplicitlyEmpty(string key) =>
        Assert.Equal(string.Empty, ArrayOf(key).Trim());

    [Fact]
    public void RootModuleIsTheCmdletAssembly() =>
        Assert.Equal("Ingestion.PowerShell.dll", Scalar("RootModule"));

    [Fact]
    public void RequiresPowerShell74OnCore()
    {
        Assert.Equal("7.4", Scalar("PowerShellVersion"));
        Assert.Equal(["Core"], Strings(ArrayOf("CompatiblePSEditions")));
    }

    [Fact]
    public void FormatsToProcessNamesTheFormatFile()
    {
        Assert.Equal([Path.GetFileName(Repository.FormatFile)], Strings(ArrayOf("FormatsToProcess")));
        Assert.True(File.Exists(Repository.FormatFile));
    }

    [Fact]
    public void AssembliesCarryTheManifestVersion()
    {
        var version = Scalar("ModuleVersion");
        foreach (var assembly in new[] { ModuleMetadata.Instance.CmdletAssembly, ModuleMetadata.Instance.CoreAssembly })
        {
            Assert.Equal(Version.Parse(version), Trim(assembly.GetName().Version!));
            var informational = assembly.GetCustomAttributesData()
                .Single(a => a.AttributeType.FullName == typeof(AssemblyInformationalVersionAttribute).FullName)
                .ConstructorArguments[0].Value;
            Assert.Equal(version, informational);
        }
    }

    [Fact]
    public void IdentifiesTheModuleForAGallery()
    {
        Assert.True(Guid.TryParse(Scalar("GUID"), out _), "GUID is not a GUID.");
        Assert.All(new[] { "Author", "CompanyName", "Copyright", "Description" }, key => Assert.False(string.IsNullOrWhiteSpace(Scalar(key)), $"{key} is empty."));
    }

    [Fact]
    public void PSDataHasTagsProjectAndLicenseUrisAndReleaseNotes()
    {
        var tags = Strings(ArrayOf("Tags"));
        Assert.NotEmpty(tags);
        // Gallery tags are space-separated in the nuspec; PS-prefixed ones are the ones PowerShellGet adds itself.
        Assert.All(tags, tag => Assert.Matches("^[A-Za-z0-9._-]+$", tag));
        Assert.DoesNotContain(tags, tag => tag.StartsWith("PS", StringComparison.Ordinal));
        foreach (var key in new[] { "ProjectUri", "LicenseUri" })
        {
            Assert.True(Uri.TryCreate(Scalar(key), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps, $"{key} is not an absolute https URI.");
        }

        Assert.False(string.IsNullOrWhiteSpace(Scalar("ReleaseNotes")));
    }

    [Fact]
    public void HasNoHelpInfoUriWhileThereIsNoUpdatableHelpSite() =>
        Assert.DoesNotMatch(new Regex(@"^\s*HelpInfoURI\s*=", RegexOptions.Multiline | RegexOptions.IgnoreCase), Manifest);

    private static Version Trim(Version v) => v.Revision <= 0 ? new Version(v.Major, v.Minor, Math.Max(v.Build, 0)) : v;

    private static string Scalar(string key)
    {
        var match = Regex.Match(Manifest, $@"^\s*{key}\s*=\s*'([^']*)'", RegexOptions.Multiline);
        Assert.True(match.Success, $"{key} is missing from Ingestion.psd1 or is not a single-quoted string.");
        return match.Groups[1].Value;
    }

    private static string ArrayOf(string key)
    {
        var match = Regex.Match(Manifest, $@"^\s*{key}\s*=\s*@\(([^)]*)\)", RegexOptions.Multiline);
        Assert.True(match.Success, $"{key} is missing from Ingestion.psd1 or is not an @() array.");
        return match.Groups[1].Value;
    }

    private static List<string> Strings(string array) =>
        [.. QuotedString().Matches(array).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedString();
}
