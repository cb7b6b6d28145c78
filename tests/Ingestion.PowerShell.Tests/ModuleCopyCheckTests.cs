using Ingestion.PowerShell.Runtime;

namespace Ingestion.PowerShell.Tests;

/// <summary>A second copy of the module imported into a process that runs this one is named in a warning, once.</summary>
public sealed class ModuleCopyCheckTests
{
    [Fact]
    public void TheCopyThatIsLoadedIsNoConflict()
    {
        Assert.Null(ModuleCopyCheck.WarningFor(ModuleCopyCheck.LoadedFrom));
        Assert.Null(ModuleCopyCheck.WarningFor(ModuleCopyCheck.LoadedFrom + Path.DirectorySeparatorChar));
        Assert.Null(ModuleCopyCheck.WarningFor(null));
    }

    [Fact]
    public void AnotherFolderIsNamedWithTheLoadedOneOnce()
    {
        var other = Path.Combine(Path.GetTempPath(), "ingestion-copy-" + Guid.NewGuid().ToString("N"), "Ingestion");
        var warning = ModuleCopyCheck.WarningFor(other);
        Assert.NotNull(warning);
        Assert.Contains($"'{other}'", warning, StringComparison.Ordinal);
        Assert.Contains($"'{ModuleCopyCheck.LoadedFrom}'", warning, StringComparison.Ordinal);
        Assert.Null(ModuleCopyCheck.WarningFor(other));
    }
}
