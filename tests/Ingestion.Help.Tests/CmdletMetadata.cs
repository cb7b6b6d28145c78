using System.Reflection;
using System.Runtime.InteropServices;

namespace Ingestion.Help.Tests;

/// <summary>A cmdlet as its attributes declare it, read from the built assembly without running PowerShell.</summary>
internal sealed record CmdletInfo(
    string Name,
    bool SupportsShouldProcess,
    string? DefaultParameterSet,
    IReadOnlyList<CmdletParameter> Parameters,
    IReadOnlyList<string> OutputTypes)
{
    public const string AllSets = "__AllParameterSets";

    /// <summary>The parameter sets PowerShell will show: the named ones, or the implicit one when none is named.</summary>
    public IReadOnlyList<string> ParameterSets
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Bindings).Select(b => b.Set).Where(s => s != AllSets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return named.Count > 0 ? named : [AllSets];
        }
    }

    public override string ToString() => Name;
}

/// <summary>A [Parameter] property. <see cref="TypeNames"/> holds the names help may use for its type: short or full, nullable unwrapped.</summary>
/// <see cref="PipelineTypeName"/> is what arrives by value from the pipeline: the element type of an array.
internal sealed record CmdletParameter(string Name, IReadOnlyList<string> TypeNames, string PipelineTypeName, IReadOnlyList<string> Aliases, bool Wildcards, IReadOnlyList<CmdletBinding> Bindings);

/// <summary>One [Parameter] attribute: how the parameter binds in one set.</summary>
internal sealed record CmdletBinding(string Set, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

internal static class CmdletMetadata
{
    private const string Sma = "System.Management.Automation.";

    private static readonly Lazy<(List<CmdletInfo> Cmdlets, List<string> ErrorIds)> Loaded = new(Load);

    public static IReadOnlyList<CmdletInfo> Cmdlets => Loaded.Value.Cmdlets;

    /// <summary>The string constants of the module's ErrorIds class: the ids scripts match on.</summary>
    public static IReadOnlyList<string> ErrorIds => Loaded.Value.ErrorIds;

    private static (List<CmdletInfo>, List<string>) Load()
    {
        var assemblyPath = RepositoryPaths.CmdletAssembly;
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"Build src/Ingestion.PowerShell first: {assemblyPath} is missing.", assemblyPath);
        }

        // The cmdlet folder (Core, Polly), the PowerShell reference assembly, then the runtime for everything else.
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.GetFiles(Path.GetDirectoryName(assemblyPath)!, "*.dll")
            .Append(RepositoryPaths.PowerShellReferenceAssembly)
            .Concat(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")))
        {
            paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        }

        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths.Values), "System.Private.CoreLib");
        var assembly = context.LoadFromAssemblyPath(assemblyPath);
        var cmdlets = assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && DerivesFromCmdlet(t))
            .Select(t => (Type: t, Attribute: Attribute(t.CustomAttributes, "CmdletAttribute")))
            .Where(c => c.Attribute is not null)
            .Select(c => Read(c.Type, c.Attribute!))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var errorIds = assembly.GetTypes()
            .Where(t => t.Name == "ErrorIds")
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType.FullName == "System.String")
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        return (cmdlets, errorIds);
    }

    private static bool DerivesFromCmdlet(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.FullName is Sma + "Cmdlet" or Sma + "PSCmdlet")
            {
                return true;
            }
        }

        return false;
    }

    private static CmdletInfo Read(Type type, CustomAttributeData cmdlet)
    {
        var name = $"{cmdlet.ConstructorArguments[0].Value}-{cmdlet.ConstructorArguments[1].Value}";
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(ReadParameter)
            .OfType<CmdletParameter>()
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var outputs = type.CustomAttributes
            .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : [arg.Value])
            .Select(v => v is Type t ? t.FullName! : v?.ToString() ?? string.Empty)
            .ToList();
        return new CmdletInfo(
            name,
            Named(cmdlet, "SupportsShouldProcess") is true,
            Named(cmdlet, "DefaultParameterSetName") as string,
            parameters,
            outputs);
    }

    private static CmdletParameter? ReadParameter(PropertyInfo property)
    {
        var bindings = property.CustomAttributes
            .Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute")
            .Select(a => new CmdletBinding(
                Named(a, "ParameterSetName") as string ?? CmdletInfo.AllSets,
                Named(a, "Mandatory") is true,
                Named(a, "Position") is int position && position >= 0 ? position : null,
                Named(a, "ValueFromPipeline") is true,
                Named(a, "ValueFromPipelineByPropertyName") is true))
            .ToList();
        if (bindings.Count == 0)
        {
            return null;
        }

        var aliases = property.CustomAttributes
            .Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => (string)i.Value!) : [(string)arg.Value!])
            .ToList();
        var wildcards = property.CustomAttributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute");
        // Types are turned into names here: they die with the MetadataLoadContext.
        var type = property.PropertyType;
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
        {
            type = type.GetGenericArguments()[0];
        }

        var element = type.IsArray ? type.GetElementType()! : type;
        return new CmdletParameter(property.Name, [type.Name, type.FullName!], element.FullName!, aliases, wildcards, bindings);
    }

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(n => n.MemberName == name).TypedValue.Value;
}
