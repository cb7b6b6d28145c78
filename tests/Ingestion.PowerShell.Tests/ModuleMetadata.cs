using System.Reflection;
using System.Runtime.InteropServices;

namespace Ingestion.PowerShell.Tests;

/// <summary>
/// The cmdlet and engine assemblies opened as metadata only: attributes are read as data, nothing of
/// System.Management.Automation runs.
/// </summary>
internal sealed class ModuleMetadata : IDisposable
{
    public const string SmaNamespace = "System.Management.Automation";

    private static readonly Lazy<ModuleMetadata> Shared = new(() => new ModuleMetadata());
    private readonly MetadataLoadContext context;

    private ModuleMetadata()
    {
        var output = AppContext.BaseDirectory;
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(output, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.Last());
        context = new MetadataLoadContext(new PathAssemblyResolver(paths), coreAssemblyName: "System.Private.CoreLib");
        CmdletAssembly = context.LoadFromAssemblyPath(Path.Combine(output, "Ingestion.PowerShell.dll"));
        CoreAssembly = context.LoadFromAssemblyPath(Path.Combine(output, "Ingestion.Core.dll"));
        ParquetAssembly = context.LoadFromAssemblyPath(Path.Combine(output, "Ingestion.Parquet.dll"));
        Cmdlets = CmdletAssembly.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttributesData().SingleOrDefault(a => a.AttributeType.FullName == SmaNamespace + ".CmdletAttribute")))
            .Where(c => c.Attribute is not null)
            .Select(c => new CmdletInfo(c.Type, (string)c.Attribute!.ConstructorArguments[0].Value!, (string)c.Attribute.ConstructorArguments[1].Value!, c.Attribute))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    public static ModuleMetadata Instance => Shared.Value;

    public Assembly CmdletAssembly { get; }

    public Assembly CoreAssembly { get; }

    public Assembly ParquetAssembly { get; }

    public IReadOnlyList<CmdletInfo> Cmdlets { get; }

    public CmdletInfo Cmdlet(string name) => Cmdlets.Single(c => c.Name == name);

    public void Dispose() => context.Dispose();
}

internal sealed record CmdletInfo(Type Type, string Verb, string Noun, CustomAttributeData Attribute)
{
    public string Name => $"{Verb}-{Noun}";

    public T? Named<T>(string argument) =>
        Attribute.NamedArguments.Where(a => a.MemberName == argument).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    public IEnumerable<CustomAttributeData> Attributes(string smaAttribute) =>
        Type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == $"{ModuleMetadata.SmaNamespace}.{smaAttribute}");

    /// <summary>Public properties carrying [Parameter], declared here or in a base class.</summary>
    public IEnumerable<ParameterInfo> Parameters() =>
        Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(p => p.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == $"{ModuleMetadata.SmaNamespace}.ParameterAttribute")
                .Select(a => new ParameterInfo(p, a)));

    public ParameterInfo? Parameter(string name) => Parameters().FirstOrDefault(p => p.Name == name);
}

internal sealed record ParameterInfo(PropertyInfo Property, CustomAttributeData Attribute)
{
    public string Name => Property.Name;

    public bool Flag(string argument) =>
        Attribute.NamedArguments.Any(a => a.MemberName == argument && a.TypedValue.Value is true);

    public string? SetName =>
        Attribute.NamedArguments.Where(a => a.MemberName == "ParameterSetName").Select(a => (string?)a.TypedValue.Value).FirstOrDefault();

    public IEnumerable<string> Aliases =>
        Property.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == $"{ModuleMetadata.SmaNamespace}.AliasAttribute")
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!));

    public bool Has(string smaAttribute) =>
        Property.GetCustomAttributesData().Any(a => a.AttributeType.FullName == $"{ModuleMetadata.SmaNamespace}.{smaAttribute}");
}
