using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Ingestion.Loader;

namespace Ingestion.Isolation.Tests;

/// <summary>
/// The staged module keeps the default load context to the loader and the cmdlet assembly; everything the
/// engine ships sits in dependencies/, where only the loader looks. Assembly references are read as metadata.
/// </summary>
public sealed class StagedLayoutTests
{
    private static readonly string[] Root = ["Ingestion.Loader.dll", "Ingestion.PowerShell.dll"];
    private static readonly string[] Dependencies = ["Ingestion.Core.dll", "Ingestion.Parquet.dll", "Polly.Core.dll"];

    [Fact]
    public void OnlyTheLoaderAndTheCmdletAssemblySitAtTheModuleRoot() =>
        Assert.Equal(Root, Directory.GetFiles(StagedModule.Directory, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal));

    [Fact]
    public void TheEngineAndItsThirdPartyAssembliesSitInTheDependenciesFolder() =>
        Assert.Equal(Dependencies, Directory.GetFiles(StagedModule.Dependencies, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal));

    [Fact]
    public void TheManifestImportsTheLoaderBeforeTheRootModule()
    {
        var manifest = File.ReadAllText(Path.Combine(StagedModule.Directory, "Ingestion.psd1"));
        Assert.Matches(@"(?m)^\s*RootModule\s*=\s*'Ingestion\.PowerShell\.dll'", manifest);
        Assert.Matches(@"(?m)^\s*NestedModules\s*=\s*@\('Ingestion\.Loader\.dll'\)", manifest);
    }

    [Fact]
    public void TheLoaderReferencesOnlyTheFrameworkAndPowerShell() =>
        // Dependency-free: it runs before anything else of the module can be resolved.
        Assert.All(References("Ingestion.Loader.dll"), name => Assert.True(IsFramework(name) || name == "System.Management.Automation", name));

    [Fact]
    public void TheStagedCmdletAssemblyReferencesOnlyTheFrameworkPowerShellAndCore() =>
        // Never Polly nor the Parquet codec: what the cmdlets reference from the default context must be ours alone.
        Assert.All(References("Ingestion.PowerShell.dll"), name => Assert.True(IsFramework(name) || name is "System.Management.Automation" or "Ingestion.Core", name));

    [Fact]
    public void TheStagedEngineNeverReferencesPowerShell() =>
        Assert.All(References(Path.Combine("dependencies", "Ingestion.Core.dll")), name => Assert.False(name.StartsWith("System.Management.Automation", StringComparison.Ordinal) || name.StartsWith("Microsoft.PowerShell", StringComparison.Ordinal), name));

    [Fact]
    public void TheResolvingHandlerAnswersForTheEngineOnly()
    {
        ModuleAssemblyLoader.Register(StagedModule.Dependencies);
        // Polly and strangers are not ours to hand out from the default context.
        Assert.Throws<FileNotFoundException>(() => AssemblyLoadContext.Default.LoadFromAssemblyName(new("Ingestion.NotAnAssembly")));
        Assert.Throws<FileNotFoundException>(() => AssemblyLoadContext.Default.LoadFromAssemblyName(new("Some.Other.Module")));
    }

    private static List<string> References(string relativePath)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(StagedModule.Directory, relativePath)));
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
    }

    // Part of the shared runtime pwsh itself runs on, so never a package that could conflict with another module.
    private static bool IsFramework(string name) =>
        name == "netstandard" || File.Exists(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), name + ".dll"));
}
