namespace Ingestion.Parquet.Reading;

/// <summary>
/// Rebuilds rows from the decoded columns of one row group (Dremel record assembly). Each column's entries
/// for a row are placed into a tree of dictionaries and lists addressed by repetition level, so sibling
/// columns under the same repeated group fill the same elements; the tree is then shaped into lists and maps.
/// </summary>
internal sealed class RowAssembler
{
    private readonly SchemaNode _root;
    private readonly ColumnData[] _columns;
    private readonly Func<int, object?>[] _converters;
    private readonly SchemaNode[][] _paths;
    private readonly int[] _levelCursor;
    private readonly int[] _valueCursor;
    private readonly int[] _elementIndex;
    private readonly ParquetReadOptions _options;
    private readonly int _rowGroup;
    private long _row;

    public RowAssembler(ParquetSchema schema, ColumnData[] columns, ParquetReadOptions options, int rowGroup)
    {
        _root = schema.Root;
        _columns = columns;
        _options = options;
        _rowGroup = rowGroup;
        _converters = columns.Select(LeafValues.Bind).ToArray();
        _paths = columns.Select(c => PathOf(c.Column.Node)).ToArray();
        _levelCursor = new int[columns.Length];
        _valueCursor = new int[columns.Length];
        _elementIndex = new int[ParquetSchema.MaxLevel + 2];
    }

    private static SchemaNode[] PathOf(SchemaNode leaf)
    {
        var path = new List<SchemaNode>();
        for (var n = leaf; n.Parent is not null; n = n.Parent) path.Add(n);
        path.Reverse();
        return path.ToArray();
    }

    public Dictionary<string, object?> NextRow()
    {
        var row = new Dictionary<string, object?>(_root.Children.Length, StringComparer.Ordinal);
        for (int c = 0; c < _columns.Length; c++)
        {
            var data = _columns[c];
            var def = data.DefinitionLevels;
            var rep = data.RepetitionLevels;
            int maxDef = data.Column.MaxDefinitionLevel;
            int i = _levelCursor[c];
            if (i >= data.LevelCount)
            {
                throw Corrupt(c, "has fewer rows than the row group declares");
            }
            do
            {
                int d = def.IsEmpty ? maxDef : def[i];
                int r = rep.IsEmpty ? 0 : rep[i];
                object? value = null;
                if (d == maxDef)
                {
                    value = _converters[c](_valueCursor[c]++);
                }
                Insert(c, row, d, r, value);
                i++;
            }
            while (i < data.LevelCount && !rep.IsEmpty && rep[i] > 0);
            _levelCursor[c] = i;
        }
        _row++;
        foreach (var child in _root.Children)
        {
            row[child.Name] = Shape(child, row.GetValueOrDefault(child.Name));
        }
        return row;
    }

    private ParquetFormatException Corrupt(int column, string message) =>
        new($"Row group {_rowGroup}, row {_row}, column '{_columns[column].Column.DottedPath}' {message}");

    private void Insert(int column, Dictionary<string, object?> row, int def, int rep, object? value)
    {
        var path = _paths[column];
        var container = row;
        for (int k = 0; k < path.Length; k++)
        {
            var node = path[k];
            if (node.Repetition == Repetition.Repeated)
            {
                if (!container.TryGetValue(node.Name, out var existing) || existing is null)
                {
                    existing = new List<object?>();
                    container[node.Name] = existing;
                }
                if (existing is not List<object?> list)
                {
                    throw Corrupt(column, "has levels inconsistent with its sibling columns");
                }
                int level = node.RepetitionLevel;
                if (def < node.DefinitionLevel)
                {
                    if (rep >= level)
                    {
                        throw Corrupt(column, $"repeats at level {rep} an element whose definition level {def} says it does not exist");
                    }
                    return; // an empty list under a present parent
                }
                if (rep < level) _elementIndex[level] = 0;
                else if (rep == level) _elementIndex[level]++;
                int index = _elementIndex[level];
                if (index > list.Count)
                {
                    throw Corrupt(column, "has levels inconsistent with its sibling columns");
                }
                if (node.IsLeaf)
                {
                    if (index == list.Count) list.Add(value);
                    else list[index] = value;
                    return;
                }
                if (index == list.Count)
                {
                    list.Add(new Dictionary<string, object?>(node.Children.Length, StringComparer.Ordinal));
                }
                container = list[index] as Dictionary<string, object?>
                    ?? throw Corrupt(column, "has levels inconsistent with its sibling columns");
            }
            else
            {
                if (def < node.DefinitionLevel)
                {
                    container.TryAdd(node.Name, null);
                    return;
                }
                if (node.IsLeaf)
                {
                    container[node.Name] = value;
                    return;
                }
                if (!container.TryGetValue(node.Name, out var child) || child is null)
                {
                    child = new Dictionary<string, object?>(node.Children.Length, StringComparer.Ordinal);
                    container[node.Name] = child;
                }
                container = child as Dictionary<string, object?>
                    ?? throw Corrupt(column, "has levels inconsistent with its sibling columns");
            }
        }
    }

    /// <summary>Turns the physical value of a node into its logical form (lists for LIST, maps for MAP).</summary>
    private object? Shape(SchemaNode node, object? value)
    {
        if (node.Repetition == Repetition.Repeated)
        {
            if (value is not List<object?> instances)
            {
                return new List<object?>();
            }
            for (int i = 0; i < instances.Count; i++)
            {
                instances[i] = ShapeInstance(node, instances[i]);
            }
            return instances;
        }
        return ShapeInstance(node, value);
    }

    private Dictionary<string, object?> AsGroup(SchemaNode node, object? value) =>
        value as Dictionary<string, object?>
        ?? throw new ParquetFormatException($"Row group {_rowGroup}, row {_row - 1}: group '{node.Name}' has levels inconsistent with its schema");

    private object? ShapeInstance(SchemaNode node, object? value)
    {
        if (value is null || node.IsLeaf)
        {
            return value;
        }
        var dict = AsGroup(node, value);
        switch (node.Kind)
        {
            case NodeKind.ListWrapper:
                {
                    var repeated = node.Children[0];
                    var list = dict.GetValueOrDefault(repeated.Name) as List<object?> ?? new List<object?>();
                    if (node.IsTwoLevelList)
                    {
                        for (int i = 0; i < list.Count; i++) list[i] = ShapeInstance(repeated, list[i]);
                    }
                    else
                    {
                        var element = repeated.Children[0];
                        for (int i = 0; i < list.Count; i++)
                        {
                            var instance = AsGroup(repeated, list[i]);
                            list[i] = Shape(element, instance.GetValueOrDefault(element.Name));
                        }
                    }
                    return list;
                }
            case NodeKind.MapWrapper:
                {
                    var kv = node.Children[0];
                    var entries = dict.GetValueOrDefault(kv.Name) as List<object?> ?? new List<object?>();
                    var keyNode = kv.Children[0];
                    var valueNode = kv.Children.Length > 1 ? kv.Children[1] : null;
                    if (_options.Maps == MapRepresentation.KeyValueList)
                    {
                        var pairs = new List<KeyValuePair<object?, object?>>(entries.Count);
                        foreach (var entry in entries)
                        {
                            var e = AsGroup(kv, entry);
                            pairs.Add(new(Shape(keyNode, e.GetValueOrDefault(keyNode.Name)),
                                valueNode is null ? null : Shape(valueNode, e.GetValueOrDefault(valueNode.Name))));
                        }
                        return pairs;
                    }
                    var map = new Dictionary<object, object?>(entries.Count);
                    foreach (var entry in entries)
                    {
                        var e = AsGroup(kv, entry);
                        var key = Shape(keyNode, e.GetValueOrDefault(keyNode.Name))
                            ?? throw new ParquetFormatException($"Row group {_rowGroup}, row {_row - 1}: map '{node.Name}' has a null key (read with MapRepresentation.KeyValueList to keep it)");
                        var mapValue = valueNode is null ? null : Shape(valueNode, e.GetValueOrDefault(valueNode.Name));
                        if (!map.TryAdd(key, mapValue))
                        {
                            throw new ParquetFormatException($"Row group {_rowGroup}, row {_row - 1}: map '{node.Name}' repeats the key '{key}' (read with MapRepresentation.KeyValueList to keep it)");
                        }
                    }
                    return map;
                }
            default:
                foreach (var child in node.Children)
                {
                    dict[child.Name] = Shape(child, dict.GetValueOrDefault(child.Name));
                }
                return dict;
        }
    }
}
