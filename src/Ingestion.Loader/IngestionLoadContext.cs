using System.Reflection;
using System.Runtime.Loader;

namespace Ingestion.Loader;

/// <summary>
/// The private load context of the engine: Ingestion.Core, the Parquet codec and every third-party assembly they
/// use (Polly) load from the module's <c>dependencies</c> folder, so another module's copy of Polly in the default
/// context is never seen by the engine, and ours is never seen by it. Anything not in that folder (the shared
/// framework) falls through to the default context.
/// </summary>
internal sealed class IngestionLoadContext : AssemblyLoadContext
{
    private readonly string dependencyDirectory;

    public IngestionLoadContext(string dependencyDirectory)
        : base("Ingestion", isCollectible: false)
    {
        this.dependencyDirectory = dependencyDirectory;
    }

    public string DependencyDirectory => dependencyDirectory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is not { Length: > 0 } name)
        {
            return null;
        }

        var path = Path.Combine(dependencyDirectory, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
