using System.Reflection;
using System.Runtime.InteropServices;

namespace Ingestion.PowerShell.Tests;

/// <summary>The engine knows nothing of PowerShell, and each assembly depends only on what it is allowed to.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void CoreDoesNotReferencePowerShell() =>
        Assert.DoesNotContain(References(ModuleMetadata.Instance.CoreAssembly), name => name.StartsWith("System.Management.Automation", StringComparison.Ordinal) || name.StartsWith("Microsoft.PowerShell", StringComparison.Ordinal));

    [Fact]
    public void CoreReferencesOnlyTheFrameworkPollyAndTheParquetCodec() =>
        Assert.DoesNotContain(References(ModuleMetadata.Instance.CoreAssembly), name => !IsFramework(name) && name is not ("Polly.Core" or "Ingestion.Parquet"));

    [Fact]
    public void TheParquetCodecReferencesOnlyTheFramework() =>
        Assert.DoesNotContain(References(ModuleMetadata.Instance.ParquetAssembly), name => !IsFramework(name));

    [Fact]
    public void CmdletAssemblyDoesNotUseTheParquetCodecDirectly() =>
        // The cmdlets see Parquet through Core's plain result objects, so the codec stays swappable.
        Assert.DoesNotContain("Ingestion.Parquet", References(ModuleMetadata.Instance.CmdletAssembly));

    [Fact]
    public void CmdletAssemblyReferencesOnlyTheFrameworkPowerShellAndCore() =>
        Assert.DoesNotContain(References(ModuleMetadata.Instance.CmdletAssembly), name => !IsFramework(name) && name is not ("System.Management.Automation" or "Ingestion.Core"));

    [Fact]
    public void CmdletAssemblyDoesNotUsePollyDirectly() =>
        // Third-party assemblies stay behind Core, so isolating them later touches one assembly.
        Assert.DoesNotContain("Polly.Core", References(ModuleMetadata.Instance.CmdletAssembly));

    [Fact]
    public void CmdletAssemblyTargetsTheRuntimeOfPowerShell74()
    {
        var framework = ModuleMetadata.Instance.CmdletAssembly.GetCustomAttributesData()
            .Single(a => a.AttributeType.FullName == "System.Runtime.Versioning.TargetFrameworkAttribute")
            .ConstructorArguments[0].Value;
        Assert.Equal(".NETCoreApp,Version=v8.0", framework);
    }

    private static IEnumerable<string> References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!);

    // Part of the shared runtime pwsh itself runs on, so never a package that could conflict with another module.
    private static bool IsFramework(string name) =>
        File.Exists(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), name + ".dll"));
}
