using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Ingestion.Parquet.Writing;

/// <summary>
/// Dremel record shredding: walks a row's value tree alongside the schema and appends each leaf value (or a
/// null at the level where the path stopped) to its column with the right repetition and definition levels.
/// </summary>
internal sealed class RowShredder
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, Func<object, object?>>> MemberCache = new();
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Key, PropertyInfo Value)?> PairCache = new();

    private readonly SchemaNode _root;
    private readonly ColumnWriter[] _columns;
    private readonly Dictionary<SchemaNode, ColumnWriter[]> _leaves = new(ReferenceEqualityComparer.Instance);

    public RowShredder(ParquetSchema schema, ColumnWriter[] columns)
    {
        _root = schema.Root;
        _columns = columns;
        CollectLeaves(_root);
    }

    private ColumnWriter[] CollectLeaves(SchemaNode node)
    {
        ColumnWriter[] leaves = node.IsLeaf
            ? [_columns[node.Column!.Index]]
            : node.Children.SelectMany(CollectLeaves).ToArray();
        _leaves[node] = leaves;
        return leaves;
    }

    public void Write(object row)
    {
        foreach (var child in _root.Children)
        {
            Shred(child, GetMember(row, child.Name), 0, 0);
        }
    }

    private static string PathOf(SchemaNode node)
    {
        var names = new List<string>();
        for (var n = node; n.Parent is not null; n = n.Parent) names.Add(n.Name);
        names.Reverse();
        return string.Join('.', names);
    }

    private void Shred(SchemaNode node, object? value, int rep, int parentDef)
    {
        if (node.Repetition == Repetition.Repeated)
        {
            int r = rep;
            bool any = false;
            if (value is not null)
            {
                foreach (var item in AsSequence(node, value))
                {
                    if (item is null)
                    {
                        throw new ArgumentException($"'{PathOf(node)}' is a repeated field; its elements cannot be null.");
                    }
                    ShredInstance(node, item, r, node.DefinitionLevel);
                    r = node.RepetitionLevel;
                    any = true;
                }
            }
            if (!any)
            {
                EmitNulls(node, parentDef, rep);
            }
            return;
        }
        if (value is null)
        {
            if (node.Repetition == Repetition.Required)
            {
                throw new ArgumentException($"'{PathOf(node)}' is required but the value is null or missing.");
            }
            EmitNulls(node, parentDef, rep);
            return;
        }
        ShredInstance(node, value, rep, node.DefinitionLevel);
    }

    private void ShredInstance(SchemaNode node, object value, int rep, int def)
    {
        switch (node.Kind)
        {
            case NodeKind.Primitive:
                _columns[node.Column!.Index].WriteObject(value, rep);
                return;
            case NodeKind.ListWrapper:
                {
                    var repeated = node.Children[0];
                    if (node.IsTwoLevelList)
                    {
                        Shred(repeated, value, rep, def);
                        return;
                    }
                    var element = repeated.Children[0];
                    int r = rep;
                    bool any = false;
                    foreach (var item in AsSequence(node, value))
                    {
                        Shred(element, item, r, repeated.DefinitionLevel);
                        r = repeated.RepetitionLevel;
                        any = true;
                    }
                    if (!any)
                    {
                        EmitNulls(repeated, def, rep);
                    }
                    return;
                }
            case NodeKind.MapWrapper:
                {
                    var kv = node.Children[0];
                    var keyNode = kv.Children[0];
                    var valueNode = kv.Children.Length > 1 ? kv.Children[1] : null;
                    int r = rep;
                    bool any = false;
                    foreach (var (key, entryValue) in AsEntries(node, value))
                    {
                        if (key is null)
                        {
                            throw new ArgumentException($"Map '{PathOf(node)}' has a null key.");
                        }
                        Shred(keyNode, key, r, kv.DefinitionLevel);
                        if (valueNode is not null)
                        {
                            Shred(valueNode, entryValue, r, kv.DefinitionLevel);
                        }
                        r = kv.RepetitionLevel;
                        any = true;
                    }
                    if (!any)
                    {
                        EmitNulls(kv, def, rep);
                    }
                    return;
                }
            default:
                foreach (var child in node.Children)
                {
                    Shred(child, GetMember(value, child.Name), rep, def);
                }
                return;
        }
    }

    private void EmitNulls(SchemaNode node, int def, int rep)
    {
        foreach (var leaf in _leaves[node])
        {
            leaf.WriteNull(def, rep);
        }
    }

    private static IEnumerable AsSequence(SchemaNode node, object value) =>
        value is IEnumerable e and not string and not IDictionary
            ? e
            : throw new ArgumentException($"'{PathOf(node)}' is a list; expected a sequence but got {value.GetType().Name}.");

    private static IEnumerable<(object? Key, object? Value)> AsEntries(SchemaNode node, object value)
    {
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                yield return (entry.Key, entry.Value);
            }
            yield break;
        }
        if (value is not IEnumerable sequence || value is string)
        {
            throw new ArgumentException($"'{PathOf(node)}' is a map; expected a dictionary or key/value pairs but got {value.GetType().Name}.");
        }
        foreach (var item in sequence)
        {
            switch (item)
            {
                case DictionaryEntry entry:
                    yield return (entry.Key, entry.Value);
                    break;
                case null:
                    throw new ArgumentException($"Map '{PathOf(node)}' has a null entry.");
                default:
                    {
                        var accessors = PairCache.GetOrAdd(item.GetType(), static t =>
                            t.IsGenericType && t.GetGenericTypeDefinition() == typeof(KeyValuePair<,>)
                                ? (t.GetProperty("Key")!, t.GetProperty("Value")!)
                                : null);
                        if (accessors is not { } pair)
                        {
                            throw new ArgumentException($"Map '{PathOf(node)}' entries must be key/value pairs; got {item.GetType().Name}.");
                        }
                        yield return (pair.Key.GetValue(item), pair.Value.GetValue(item));
                        break;
                    }
            }
        }
    }

    /// <summary>A named member of a struct value: dictionary entry, hashtable entry, or public property/field.</summary>
    internal static object? GetMember(object container, string name)
    {
        switch (container)
        {
            case IReadOnlyDictionary<string, object?> ro:
                return ro.TryGetValue(name, out var v) ? v : null;
            case IDictionary<string, object?> d:
                return d.TryGetValue(name, out var dv) ? dv : null;
            case IDictionary nd:
                return nd.Contains(name) ? nd[name] : null;
        }
        var members = MemberCache.GetOrAdd(container.GetType(), BuildAccessors);
        return members.TryGetValue(name, out var getter) ? getter(container) : null;
    }

    private static Dictionary<string, Func<object, object?>> BuildAccessors(Type type)
    {
        var accessors = new Dictionary<string, Func<object, object?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length == 0 && p.CanRead)
            {
                accessors.TryAdd(p.Name, p.GetValue);
            }
        }
        foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            accessors.TryAdd(f.Name, f.GetValue);
        }
        return accessors;
    }
}
