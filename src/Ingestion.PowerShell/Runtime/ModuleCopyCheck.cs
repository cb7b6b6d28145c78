using System.Collections.Concurrent;
using System.Management.Automation;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// A process runs one copy of the module's assemblies: when a second copy (another folder, or another version) is
/// imported, pwsh keeps the assemblies it already loaded and the new module's commands run the first copy's code
/// and engine. That cannot be undone in a live process, so the first command of such a copy says so, once per folder.
/// </summary>
internal static class ModuleCopyCheck
{
    private static readonly ConcurrentDictionary<string, bool> Warned = new(FileSystemComparer);

    private static StringComparer FileSystemComparer => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The folder the running assemblies were loaded from.</summary>
    public static string LoadedFrom { get; } = Normalize(Path.GetDirectoryName(typeof(ModuleCopyCheck).Assembly.Location) ?? string.Empty);

    /// <summary>
    /// The warning to write for a command of the module at <paramref name="moduleBase"/>, or null when it is the copy
    /// that is loaded, unknown, or was already warned about.
    /// </summary>
    public static string? WarningFor(string? moduleBase)
    {
        if (string.IsNullOrEmpty(moduleBase) || LoadedFrom.Length == 0)
        {
            return null;
        }

        var imported = Normalize(moduleBase);
        if (FileSystemComparer.Equals(imported, LoadedFrom) || !Warned.TryAdd(imported, true))
        {
            return null;
        }

        return string.Format(System.Globalization.CultureInfo.InvariantCulture, Messages.OtherModuleCopyLoaded, imported, LoadedFrom);
    }

    // Written by Ingestion.Loader on every import (see ModuleAssemblyLoader.ImportCountKey).
    private const string ImportCountKey = "Ingestion.Loader.ImportCount";
    private const string ModuleName = "Ingestion";
    private static int checkedImports;

    /// <summary>
    /// After each import of the module into this process (at most once per import, so commands cost nothing
    /// otherwise), lists the imported Ingestion modules and warns about any whose folder is not the one running.
    /// </summary>
    public static void Check(PSCmdlet cmdlet)
    {
        var imports = AppContext.GetData(ImportCountKey) is int count ? count : 0;
        var seen = Volatile.Read(ref checkedImports);
        if (imports <= 1 || imports == seen || Interlocked.CompareExchange(ref checkedImports, imports, seen) != seen)
        {
            return;
        }

        using var modules = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        foreach (var module in modules.AddCommand("Get-Module").AddParameter("Name", ModuleName).Invoke<PSModuleInfo>())
        {
            if (WarningFor(module.ModuleBase) is { } warning)
            {
                cmdlet.WriteWarning(warning);
            }
        }
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
