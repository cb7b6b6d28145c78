using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace Ingestion.Package.Tests;

/// <summary>
/// The nupkg that `dotnet pack src/Ingestion.PowerShell` (./build.ps1 Package) writes holds the staged module as it
/// is, at the package root, and a nuspec that says what the manifest says, with the tags the gallery searches on.
/// </summary>
public sealed class NupkgTests : IDisposable
{
    private static readonly ModuleManifest Manifest = new(PackagePaths.RepositoryManifest);
    private static readonly string[] PlumbingFiles = ["[Content_Types].xml", "_rels/.rels", "Ingestion.nuspec"];
    private const string CorePropertiesFolder = "package/services/metadata/core-properties/";

    private readonly ZipArchive package = ZipFile.OpenRead(PackagePath());

    public void Dispose() => package.Dispose();

    [Fact]
    public void ThePackageIsNamedForTheManifestIdAndVersion()
    {
        var packages = Directory.GetFiles(PackagePaths.PackageDirectory, "*.nupkg").Select(Path.GetFileName);
        Assert.Equal([$"Ingestion.{Manifest.Scalar("ModuleVersion")}.nupkg"], packages);
    }

    [Fact]
    public void EveryStagedFileIsInThePackageAtTheSameRelativePathWithTheSameBytes()
    {
        var staged = StagedFiles();
        Assert.Contains("Ingestion.psd1", staged.Keys);
        foreach (var (relative, fullPath) in staged)
        {
            var entry = package.GetEntry(relative);
            Assert.True(entry is not null, $"The package lacks the staged file {relative}.");
            using var stream = entry.Open();
            Assert.Equal(Hash(File.ReadAllBytes(fullPath)), Hash(stream));
        }
    }

    [Fact]
    public void ThePackageHoldsNothingButTheStagedFilesAndTheNuGetPlumbing()
    {
        var staged = StagedFiles().Keys.ToHashSet(StringComparer.Ordinal);
        var extra = package.Entries.Select(e => e.FullName)
            .Where(name => !staged.Contains(name) && !PlumbingFiles.Contains(name))
            .ToList();
        var coreProperties = Assert.Single(extra);
        Assert.StartsWith(CorePropertiesFolder, coreProperties);
        Assert.EndsWith(".psmdcp", coreProperties);
        Assert.DoesNotContain('/', coreProperties[CorePropertiesFolder.Length..]);
        Assert.All(PlumbingFiles, name => Assert.NotNull(package.GetEntry(name)));
    }

    [Fact]
    public void EntryNamesUseForwardSlashesAndNoFolderEntries() =>
        Assert.All(package.Entries, e =>
        {
            Assert.DoesNotContain('\\', e.FullName);
            Assert.False(e.FullName.EndsWith('/'), $"{e.FullName} is a folder entry.");
        });

    [Fact]
    public void RelationshipsPointAtTheNuspecAndTheCoreProperties()
    {
        var rels = Xml("_rels/.rels");
        var targets = rels.Root!.Elements().Select(r => (Type: (string)r.Attribute("Type")!, Target: (string)r.Attribute("Target")!)).ToList();
        Assert.Contains(("http://schemas.microsoft.com/packaging/2010/07/manifest", "/Ingestion.nuspec"), targets);
        var core = Assert.Single(targets, t => t.Type.EndsWith("/metadata/core-properties", StringComparison.Ordinal));
        Assert.NotNull(package.GetEntry(core.Target.TrimStart('/')));
    }

    [Fact]
    public void ContentTypesCoverEveryExtensionInThePackage()
    {
        var types = Xml("[Content_Types].xml").Root!.Elements().ToList();
        var declared = types
            .Select(d => (string?)d.Attribute("Extension"))
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        // A file without an extension (LICENSE) gets an Override of its own part name instead of a Default.
        var overridden = types
            .Select(d => (string?)d.Attribute("PartName"))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(
            package.Entries.Where(e => e.FullName != "[Content_Types].xml"),
            e => Assert.True(
                declared.Contains(Path.GetExtension(e.Name).TrimStart('.')) || overridden.Contains("/" + e.FullName),
                $"[Content_Types].xml gives {e.FullName} no content type."));
    }

    [Fact]
    public void NuspecRepeatsTheManifest()
    {
        var nuspec = Nuspec();
        Assert.Equal(Manifest.Name, Field(nuspec, "id"));
        Assert.Equal(Manifest.Scalar("ModuleVersion"), Field(nuspec, "version"));
        Assert.Equal(Manifest.Scalar("Author"), Field(nuspec, "authors"));
        Assert.Equal(Manifest.Scalar("CompanyName"), Field(nuspec, "owners"));
        Assert.Equal(Manifest.Scalar("Description"), Field(nuspec, "description"));
        Assert.Equal(Manifest.Scalar("ReleaseNotes"), Field(nuspec, "releaseNotes"));
        Assert.Equal(Manifest.Scalar("Copyright"), Field(nuspec, "copyright"));
        Assert.Equal(Manifest.Scalar("ProjectUri"), Field(nuspec, "projectUrl"));
        Assert.Equal(Manifest.Scalar("LicenseUri"), Field(nuspec, "licenseUrl"));
        Assert.Equal("false", Field(nuspec, "requireLicenseAcceptance"));
    }

    [Fact]
    public void TheMitLicenseTheManifestPointsAtIsInTheRepositoryTheStagedModuleAndThePackage()
    {
        // LicenseUri names a file of this repository (…/blob/<branch>/<path>); that file must exist and be the MIT text.
        var licenseUri = Manifest.Scalar("LicenseUri");
        var blob = System.Text.RegularExpressions.Regex.Match(licenseUri, "^" + System.Text.RegularExpressions.Regex.Escape(Manifest.Scalar("ProjectUri")) + "/blob/[^/]+/(.+)$");
        Assert.True(blob.Success, $"LicenseUri {licenseUri} does not name a file under the ProjectUri.");
        var relative = blob.Groups[1].Value;
        Assert.Equal("LICENSE", relative);
        var repositoryLicense = Path.Combine(PackagePaths.Root, relative);
        Assert.True(File.Exists(repositoryLicense), $"LicenseUri names {relative}, which is not in the repository.");
        var text = File.ReadAllText(repositoryLicense);
        Assert.StartsWith("MIT License", text);
        Assert.Contains("Copyright (c) Ingestion contributors", text);

        // Shipped beside the manifest, as Publish-PSResource packs a module folder that holds one.
        var staged = Path.Combine(PackagePaths.StagedModule, "LICENSE");
        Assert.True(File.Exists(staged), "The staged module has no LICENSE.");
        Assert.Equal(Hash(File.ReadAllBytes(repositoryLicense)), Hash(File.ReadAllBytes(staged)));
        var entry = package.GetEntry("LICENSE");
        Assert.True(entry is not null, "The package has no LICENSE at its root.");
        using (var stream = entry.Open())
        {
            Assert.Equal(Hash(File.ReadAllBytes(repositoryLicense)), Hash(stream));
        }

        // The nuspec keeps the licenseUrl Publish-PSResource writes from LicenseUri; no second, contradicting <license>.
        Assert.Equal(licenseUri, Field(Nuspec(), "licenseUrl"));
        var metadata = Nuspec().Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName == "license");
    }

    [Fact]
    public void NuspecDeclaresNoDependenciesAndNoFrameworkFolders()
    {
        var metadata = Nuspec().Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName is "dependencies" or "frameworkAssemblies");
        Assert.DoesNotContain(package.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal));
    }

    [Fact]
    public void TagsMarkAPowerShellCoreModuleWithTheManifestTags()
    {
        var tags = Tags();
        Assert.Contains("PSModule", tags);
        Assert.Contains("PSEdition_Core", tags);
        Assert.DoesNotContain("PSEdition_Desktop", tags);
        Assert.All(Manifest.Array("Tags"), tag => Assert.Contains(tag, tags));
        Assert.Equal(tags.Count, tags.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void TagsNameEveryExportedCmdletAndNothingElse()
    {
        var tags = Tags();
        var cmdlets = Manifest.Array("CmdletsToExport");
        Assert.NotEmpty(cmdlets);
        Assert.Contains("PSIncludes_Cmdlet", tags);
        Assert.Equal(cmdlets.Order(StringComparer.Ordinal), Suffixes(tags, "PSCmdlet_"));
        Assert.Equal(cmdlets.Order(StringComparer.Ordinal), Suffixes(tags, "PSCommand_"));
        Assert.DoesNotContain("PSIncludes_Function", tags);
    }

    [Fact]
    public void CorePropertiesAgreeWithTheNuspec()
    {
        var entry = package.Entries.Single(e => e.FullName.StartsWith(CorePropertiesFolder, StringComparison.Ordinal));
        using var stream = entry.Open();
        var core = XDocument.Load(stream).Root!;
        string Value(string name) => core.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal(Manifest.Name, Value("identifier"));
        Assert.Equal(Manifest.Scalar("ModuleVersion"), Value("version"));
        Assert.Equal(Field(Nuspec(), "tags"), Value("keywords"));
    }

    private static IEnumerable<string> Suffixes(IEnumerable<string> tags, string prefix) =>
        tags.Where(t => t.StartsWith(prefix, StringComparison.Ordinal)).Select(t => t[prefix.Length..]).Order(StringComparer.Ordinal);

    private List<string> Tags() => [.. Field(Nuspec(), "tags").Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private XDocument Nuspec() => Xml("Ingestion.nuspec");

    private XDocument Xml(string entryName)
    {
        var entry = package.GetEntry(entryName);
        Assert.True(entry is not null, $"The package lacks {entryName}.");
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    private static string Field(XDocument nuspec, string name)
    {
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var element = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);
        Assert.True(element is not null, $"The nuspec has no <{name}>.");
        return element.Value;
    }

    private static Dictionary<string, string> StagedFiles()
    {
        Assert.True(Directory.Exists(PackagePaths.StagedModule), $"The staged module is missing at {PackagePaths.StagedModule}.");
        return Directory.EnumerateFiles(PackagePaths.StagedModule, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(PackagePaths.StagedModule, f).Replace('\\', '/'), f => f, StringComparer.Ordinal);
    }

    private static string PackagePath()
    {
        var path = Path.Combine(PackagePaths.PackageDirectory, $"Ingestion.{Manifest.Scalar("ModuleVersion")}.nupkg");
        Assert.True(File.Exists(path), $"The package is missing at {path}; `dotnet pack src/Ingestion.PowerShell` writes it.");
        return path;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private static string Hash(Stream stream) => Convert.ToHexString(SHA256.HashData(stream));
}
