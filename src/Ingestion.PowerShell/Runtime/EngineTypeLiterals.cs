using System.Management.Automation;
using System.Reflection;
using Ingestion.Core.Models;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// The engine lives in a private load context, and PowerShell resolves type literals only from the default one, so
/// <c>[Ingestion.Core.Models.IngestStatus]</c>, <c>-is</c>, <c>Should -BeOfType</c> and typed <c>param()</c> blocks
/// would fail for the module's own output types. Each public engine type is registered as a type accelerator under its
/// full name on import (the way about_Classes exports classes from a module) and removed again by Remove-Module; no
/// short aliases, and a name someone else registered first is left alone.
/// </summary>
public sealed class EngineTypeLiterals : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static readonly List<string> Registered = [];

    public void OnImport()
    {
        if (Accelerators() is not { } accelerators)
        {
            return;
        }

        lock (Gate)
        {
            foreach (var type in EngineTypes())
            {
                var name = type.FullName!;
                if (!accelerators.Existing.ContainsKey(name))
                {
                    accelerators.Add.Invoke(null, [name, type]);
                    Registered.Add(name);
                }
            }
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (Accelerators() is not { } accelerators)
        {
            return;
        }

        lock (Gate)
        {
            foreach (var name in Registered)
            {
                accelerators.Remove.Invoke(null, [name]);
            }

            Registered.Clear();
        }
    }

    /// <summary>The public top-level types of the engine: every output and parameter type of the cmdlets is one of them.</summary>
    internal static IEnumerable<Type> EngineTypes() =>
        typeof(IngestStatus).Assembly.GetExportedTypes().Where(t => !t.IsNested && !t.IsGenericTypeDefinition && t.FullName is not null);

    /// <summary>PowerShell's accelerator table; internal to System.Management.Automation, with public static members.</summary>
    private static (MethodInfo Add, MethodInfo Remove, IDictionary<string, Type> Existing)? Accelerators()
    {
        var table = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var add = table?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(Type)]);
        var remove = table?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, [typeof(string)]);
        var existing = table?.GetProperty("Get", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as IDictionary<string, Type>;
        return add is null || remove is null || existing is null ? null : (add, remove, existing);
    }
}
