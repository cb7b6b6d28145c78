using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Ingestion.Loader;

/// <summary>
/// Imported by the manifest as a nested module, so pwsh runs it before it even lists the types of the cmdlet
/// assembly (whose cmdlets have engine-typed parameters): the default load context cannot find
/// Ingestion.Core (it sits in the <c>dependencies</c> folder, out of probing reach), asks its
/// <see cref="AssemblyLoadContext.Resolving"/> handlers, and this one answers for the module's own engine
/// assemblies only, loading them into the single <see cref="IngestionLoadContext"/>. Polly and anything else the
/// engine ships are then resolved inside that context from the same folder.
/// Deliberately free of any dependency but the framework and System.Management.Automation, and touches no engine type.
/// </summary>
public sealed class ModuleAssemblyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <summary>The folder, beside the cmdlet assembly, that holds the engine and its third-party assemblies.</summary>
    public const string DependencyFolderName = "dependencies";

    // Only these names are answered from the default context; everything else is left to whoever owns it.
    private static readonly HashSet<string> OwnAssemblies = new(StringComparer.OrdinalIgnoreCase) { "Ingestion.Core", "Ingestion.Parquet" };

    private static readonly object Gate = new();
    private static IngestionLoadContext? context;
    private static bool registered;

    /// <summary>The engine's load context, once the module is imported (null before).</summary>
    public static AssemblyLoadContext? LoadContext => context;

    /// <summary>
    /// Process-wide count of imports of the module (AppContext data, so the cmdlet assembly reads it without a
    /// reference to this one). A second copy of the module imported into the same process reuses the assemblies
    /// already loaded, so its import runs this very code again: the cmdlets see the count move and check which
    /// module folders are imported against the one the assemblies came from.
    /// </summary>
    public const string ImportCountKey = "Ingestion.Loader.ImportCount";

    private static int imports;

    /// <summary>Registers the resolving handler; pwsh calls this on Import-Module.</summary>
    public void OnImport()
    {
        Register(DefaultDependencyDirectory());
        AppContext.SetData(ImportCountKey, Interlocked.Increment(ref imports));
    }

    /// <summary>Unregisters the handler on Remove-Module. The context itself stays: the engine cannot be unloaded from a live session.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            if (registered)
            {
                AssemblyLoadContext.Default.Resolving -= ResolveOwnAssembly;
                registered = false;
            }
        }
    }

    /// <summary>Registers the handler with the engine loaded from <paramref name="dependencyDirectory"/> (idempotent: one context per process).</summary>
    internal static void Register(string dependencyDirectory)
    {
        lock (Gate)
        {
            context ??= new IngestionLoadContext(dependencyDirectory);
            if (!registered)
            {
                AssemblyLoadContext.Default.Resolving += ResolveOwnAssembly;
                registered = true;
            }
        }
    }

    private static string DefaultDependencyDirectory() =>
        Path.Combine(Path.GetDirectoryName(typeof(ModuleAssemblyLoader).Assembly.Location)!, DependencyFolderName);

    private static Assembly? ResolveOwnAssembly(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        var loadContext = context;
        if (loadContext is null || name.Name is null || !OwnAssemblies.Contains(name.Name))
        {
            return null;
        }

        var path = Path.Combine(loadContext.DependencyDirectory, name.Name + ".dll");
        return File.Exists(path) ? loadContext.LoadFromAssemblyName(name) : null;
    }
}
