using System.Text;
using Ingestion.Parquet.Format;

namespace Ingestion.Parquet;

/// <summary>
/// The schema of a Parquet file: a tree of fields whose leaves are the file's columns.
/// </summary>
public sealed class ParquetSchema
{
    /// <summary>Deepest definition or repetition level supported; levels are held in bytes.</summary>
    public const int MaxLevel = 255;

    private readonly Dictionary<string, ColumnDescriptor> _columnsByPath;

    public ParquetSchema(IEnumerable<ParquetField> fields)
        : this(BuildRoot(fields?.ToArray() ?? throw new ArgumentNullException(nameof(fields))))
    {
    }

    public ParquetSchema(params ParquetField[] fields) : this((IEnumerable<ParquetField>)fields) { }

    private ParquetSchema(SchemaNode root)
    {
        Root = root;
        var columns = new List<ColumnDescriptor>();
        AssignLevels(root, columns, new List<string>());
        Columns = columns;
        Fields = root.Children.Select(c => c.Field!).ToArray();
        _columnsByPath = new Dictionary<string, ColumnDescriptor>(StringComparer.Ordinal);
        foreach (var c in columns)
        {
            _columnsByPath.TryAdd(c.DottedPath, c);
        }
    }

    /// <summary>Top-level fields.</summary>
    public IReadOnlyList<ParquetField> Fields { get; }

    /// <summary>Leaf columns in file order.</summary>
    public IReadOnlyList<ColumnDescriptor> Columns { get; }

    internal SchemaNode Root { get; }

    /// <summary>The column at a dotted physical path (e.g. "address.city" or "tags.list.element").</summary>
    public ColumnDescriptor? FindColumn(string dottedPath) => _columnsByPath.GetValueOrDefault(dottedPath);

    internal static void CheckUniqueNames(IReadOnlyList<ParquetField> fields, string parent)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            if (f is null)
            {
                throw new ArgumentException($"'{parent}' has a null field.");
            }
            if (!seen.Add(f.Name))
            {
                throw new ArgumentException($"'{parent}' has two fields named '{f.Name}'.");
            }
        }
    }

    private static SchemaNode BuildRoot(ParquetField[] fields)
    {
        if (fields.Length == 0)
        {
            throw new ArgumentException("A schema needs at least one field.", nameof(fields));
        }
        CheckUniqueNames(fields, "schema");
        var root = new SchemaNode("schema", Repetition.Required, NodeKind.Struct);
        root.Children = fields.Select(f => FromField(f, root)).ToArray();
        return root;
    }

    private static SchemaNode FromField(ParquetField field, SchemaNode parent)
    {
        SchemaNode node;
        switch (field)
        {
            case PrimitiveField p:
                {
                    string? problem = LogicalTypeMapping.Validate(p);
                    if (problem is not null)
                    {
                        throw new ArgumentException($"Field '{p.Name}': {problem}.");
                    }
                    node = new SchemaNode(p.Name, p.Repetition, NodeKind.Primitive)
                    {
                        PhysicalType = p.PhysicalType,
                        TypeLength = p.TypeLength,
                        LogicalType = p.LogicalType,
                        ConvertedType = p.LogicalType is null ? p.LegacyConvertedType : LogicalTypeMapping.ToConvertedType(p.LogicalType),
                    };
                    if (p.LogicalType is { Kind: LogicalTypeKind.Decimal } d)
                    {
                        node.Scale = d.Scale;
                        node.Precision = d.Precision;
                    }
                    break;
                }
            case StructField s:
                node = new SchemaNode(s.Name, s.Repetition, NodeKind.Struct);
                node.Children = s.Fields.Select(f => FromField(f, node)).ToArray();
                break;
            case ListField l:
                node = new SchemaNode(l.Name, l.Repetition, NodeKind.ListWrapper)
                {
                    LogicalType = LogicalType.List,
                    ConvertedType = Parquet.ConvertedType.List,
                };
                if (l.Layout == ListLayout.TwoLevel)
                {
                    node.IsTwoLevelList = true;
                    node.Children = [FromField(WithRepetition(l.Element, Repetition.Repeated), node)];
                }
                else
                {
                    var repeated = new SchemaNode(l.RepeatedNodeName, Repetition.Repeated, NodeKind.ListRepeated) { Parent = node };
                    repeated.Children = [FromField(l.Element, repeated)];
                    node.Children = [repeated];
                }
                break;
            case MapField m:
                {
                    node = new SchemaNode(m.Name, m.Repetition, NodeKind.MapWrapper)
                    {
                        LogicalType = LogicalType.Map,
                        ConvertedType = Parquet.ConvertedType.Map,
                    };
                    var kv = new SchemaNode(m.RepeatedNodeName, Repetition.Repeated, NodeKind.MapRepeated) { Parent = node };
                    kv.Children = m.Value is null
                        ? [FromField(m.Key, kv)]
                        : [FromField(m.Key, kv), FromField(m.Value, kv)];
                    node.Children = [kv];
                    break;
                }
            default:
                throw new ArgumentException($"Unsupported field type {field?.GetType().Name ?? "null"}.");
        }
        node.Parent = parent;
        node.Field = field;
        node.FieldId = field.FieldId;
        return node;
    }

    /// <summary>A copy of a field with another repetition (used for two-level list elements, which are the repeated node).</summary>
    internal static ParquetField WithRepetition(ParquetField field, Repetition repetition) => field switch
    {
        PrimitiveField p => new PrimitiveField(p.Name, p.PhysicalType, repetition, p.LogicalType, p.TypeLength) { FieldId = p.FieldId, LegacyConvertedType = p.LegacyConvertedType },
        StructField s => new StructField(s.Name, s.Fields, repetition) { FieldId = s.FieldId },
        ListField l => new ListField(l.Name, l.Element, repetition, l.Layout, l.RepeatedNodeName) { FieldId = l.FieldId },
        MapField m => new MapField(m.Name, m.Key, m.Value, repetition, m.RepeatedNodeName) { FieldId = m.FieldId },
        _ => throw new ArgumentException("Unknown field type."),
    };

    private static void AssignLevels(SchemaNode node, List<ColumnDescriptor> columns, List<string> path)
    {
        foreach (var child in node.Children)
        {
            child.Parent = node;
            child.DefinitionLevel = node.DefinitionLevel + (child.Repetition == Repetition.Required ? 0 : 1);
            child.RepetitionLevel = node.RepetitionLevel + (child.Repetition == Repetition.Repeated ? 1 : 0);
            if (child.DefinitionLevel > MaxLevel)
            {
                throw new ArgumentException($"Field '{child.Name}' nests deeper than {MaxLevel} optional or repeated levels.");
            }
            path.Add(child.Name);
            if (child.IsLeaf)
            {
                var field = child.Field as PrimitiveField
                    ?? throw new InvalidOperationException("A leaf node must stand for a primitive field.");
                var descriptor = new ColumnDescriptor(columns.Count, path.ToArray(), field, child.DefinitionLevel, child.RepetitionLevel, child);
                child.Column = descriptor;
                columns.Add(descriptor);
            }
            else
            {
                AssignLevels(child, columns, path);
            }
            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>The flattened depth-first SchemaElement list of the footer.</summary>
    internal List<SchemaElement> ToElements()
    {
        var list = new List<SchemaElement>();
        void Add(SchemaNode n, bool isRoot)
        {
            var e = new SchemaElement
            {
                Name = n.Name,
                RepetitionType = isRoot ? null : n.Repetition,
                FieldId = n.FieldId,
                LogicalType = n.LogicalType,
                ConvertedType = n.ConvertedType,
                Scale = n.Scale,
                Precision = n.Precision,
            };
            if (n.IsLeaf)
            {
                e.Type = n.PhysicalType;
                if (n.PhysicalType == PhysicalType.FixedLenByteArray) e.TypeLength = n.TypeLength;
            }
            else
            {
                e.NumChildren = n.Children.Length;
            }
            list.Add(e);
            foreach (var c in n.Children) Add(c, false);
        }
        Add(Root, true);
        return list;
    }

    /// <summary>Builds a schema from a footer's SchemaElements, recognising LIST and MAP in their standard and legacy forms.</summary>
    internal static ParquetSchema FromElements(IReadOnlyList<SchemaElement> elements)
    {
        if (elements.Count == 0)
        {
            throw new ParquetFormatException("The schema is empty.");
        }
        int index = 0;
        var root = ReadNode(elements, ref index, 0);
        if (root.IsLeaf)
        {
            throw new ParquetFormatException("The schema root is a primitive, not a group.");
        }
        if (index != elements.Count)
        {
            throw new ParquetFormatException($"The schema has {elements.Count - index} elements that belong to no group.");
        }
        if (root.Children.Length == 0)
        {
            throw new ParquetFormatException("The schema has no columns.");
        }
        try
        {
            foreach (var child in root.Children)
            {
                AttachField(child);
            }
            CheckUniqueNames(root.Children.Select(c => c.Field!).ToArray(), "schema");
            return new ParquetSchema(root);
        }
        catch (ArgumentException e)
        {
            throw new ParquetFormatException($"Invalid schema: {e.Message}", e);
        }
    }

    private static SchemaNode ReadNode(IReadOnlyList<SchemaElement> elements, ref int index, int depth)
    {
        if (depth > MaxLevel)
        {
            throw new ParquetFormatException($"The schema nests deeper than {MaxLevel} levels.");
        }
        if (index >= elements.Count)
        {
            throw new ParquetFormatException($"The schema ends inside a group: its declared children need more than the {elements.Count} elements present.");
        }
        var e = elements[index++];
        var repetition = e.RepetitionType ?? Repetition.Required;
        if (repetition is < Repetition.Required or > Repetition.Repeated)
        {
            throw new ParquetFormatException($"Schema element '{e.Name}' has unknown repetition {(int)repetition}.");
        }
        var logical = e.LogicalType ?? (e.ConvertedType is { } ct ? LogicalTypeMapping.FromConvertedType(ct, e.Precision, e.Scale) : null);
        bool isGroup = e.NumChildren is not null && (e.Type is null || e.NumChildren > 0);
        if (!isGroup)
        {
            if (e.Type is not { } type)
            {
                throw new ParquetFormatException($"Schema element '{e.Name}' has neither a type nor children.");
            }
            if (type is < PhysicalType.Boolean or > PhysicalType.FixedLenByteArray)
            {
                throw new ParquetFormatException($"Column '{e.Name}' has unknown physical type {(int)type}.");
            }
            int length = e.TypeLength ?? 0;
            if (type == PhysicalType.FixedLenByteArray && (length <= 0 || length > 1 << 20))
            {
                throw new ParquetFormatException($"Column '{e.Name}' is FIXED_LEN_BYTE_ARRAY with invalid length {length}.");
            }
            if (logical is { Kind: LogicalTypeKind.Decimal } && (logical.Precision is < 1 or > 1000 || logical.Scale < 0 || logical.Scale > logical.Precision))
            {
                throw new ParquetFormatException($"Column '{e.Name}' has invalid DECIMAL({logical.Precision},{logical.Scale}).");
            }
            if (logical is { Kind: LogicalTypeKind.Integer } && logical.BitWidth is not (8 or 16 or 32 or 64))
            {
                throw new ParquetFormatException($"Column '{e.Name}' has invalid integer bit width {logical.BitWidth}.");
            }
            return new SchemaNode(e.Name, repetition, NodeKind.Primitive)
            {
                PhysicalType = type,
                TypeLength = type == PhysicalType.FixedLenByteArray ? length : 0,
                LogicalType = logical,
                ConvertedType = e.ConvertedType,
                Scale = e.Scale,
                Precision = e.Precision,
                FieldId = e.FieldId,
            };
        }
        int count = e.NumChildren!.Value;
        if (count < 0 || count > elements.Count - index)
        {
            throw new ParquetFormatException($"Schema group '{e.Name}' declares {count} children but {elements.Count - index} elements remain.");
        }
        var node = new SchemaNode(e.Name, repetition, NodeKind.Struct)
        {
            LogicalType = logical,
            ConvertedType = e.ConvertedType,
            FieldId = e.FieldId,
        };
        var children = new SchemaNode[count];
        for (int i = 0; i < count; i++)
        {
            children[i] = ReadNode(elements, ref index, depth + 1);
            children[i].Parent = node;
        }
        node.Children = children;
        return node;
    }

    /// <summary>Derives the user-facing field of a physical node, following the LIST/MAP backward-compatibility rules.</summary>
    private static void AttachField(SchemaNode node)
    {
        if (node.IsLeaf)
        {
            var logical = node.LogicalType;
            // Keep an unusable annotation out of the field so reading falls back to the physical value.
            if (logical is not null && LogicalTypeMapping.Validate(new PrimitiveField(node.Name, node.PhysicalType!.Value, Repetition.Optional, logical, node.TypeLength)) is not null
                && node.PhysicalType != PhysicalType.Int96)
            {
                logical = null;
            }
            node.Field = new PrimitiveField(node.Name, node.PhysicalType!.Value, node.Repetition, logical, node.TypeLength)
            {
                FieldId = node.FieldId,
                LegacyConvertedType = logical is null ? node.ConvertedType : null,
            };
            return;
        }

        foreach (var c in node.Children)
        {
            AttachField(c);
        }

        var kind = node.LogicalType?.Kind;
        // A repeated LIST group occurs as the element of a legacy two-level list; its field reads as a required list.
        var listRepetition = node.Repetition == Repetition.Repeated ? Repetition.Required : node.Repetition;
        if (kind == LogicalTypeKind.List
            && node.Children.Length == 1 && node.Children[0].Repetition == Repetition.Repeated)
        {
            var repeated = node.Children[0];
            bool twoLevel = repeated.IsLeaf
                || repeated.Children.Length != 1
                || repeated.Name == "array"
                || repeated.Name == node.Name + "_tuple"
                || repeated.Children[0].Repetition == Repetition.Repeated;
            node.Kind = NodeKind.ListWrapper;
            if (twoLevel)
            {
                node.IsTwoLevelList = true;
                var element = WithRepetition(repeated.Field!, Repetition.Required);
                node.Field = new ListField(node.Name, element, listRepetition, ListLayout.TwoLevel, repeated.Name) { FieldId = node.FieldId };
            }
            else
            {
                repeated.Kind = NodeKind.ListRepeated;
                node.Field = new ListField(node.Name, repeated.Children[0].Field!, listRepetition, ListLayout.ThreeLevel, repeated.Name) { FieldId = node.FieldId };
            }
            return;
        }

        if (kind == LogicalTypeKind.Map && node.Repetition != Repetition.Repeated
            && node.Children.Length == 1 && node.Children[0] is { Repetition: Repetition.Repeated, IsLeaf: false } kv
            && kv.Children.Length is 1 or 2 && kv.Children[0].Repetition != Repetition.Repeated
            && (kv.Children.Length == 1 || kv.Children[1].Repetition != Repetition.Repeated)
            && (kv.Children.Length == 1 || kv.Children[0].Name != kv.Children[1].Name))
        {
            node.Kind = NodeKind.MapWrapper;
            kv.Kind = NodeKind.MapRepeated;
            node.Field = new MapField(node.Name, kv.Children[0].Field!, kv.Children.Length == 2 ? kv.Children[1].Field : null, node.Repetition, kv.Name) { FieldId = node.FieldId };
            return;
        }

        node.Kind = NodeKind.Struct;
        node.Field = new StructField(node.Name, node.Children.Select(c => c.Field!), node.Repetition) { FieldId = node.FieldId };
    }

    internal static string PhysicalTypeName(PhysicalType type, int typeLength) => type switch
    {
        PhysicalType.ByteArray => "binary",
        PhysicalType.FixedLenByteArray => $"fixed_len_byte_array({typeLength})",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>The schema in the textual "message" notation.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("message schema {\n");
        void Write(SchemaNode n, int indent)
        {
            sb.Append(' ', indent * 2).Append(n.Repetition.ToString().ToLowerInvariant()).Append(' ');
            if (n.IsLeaf)
            {
                sb.Append(PhysicalTypeName(n.PhysicalType!.Value, n.TypeLength));
                sb.Append(' ').Append(n.Name);
                if (n.LogicalType is not null) sb.Append(" (").Append(n.LogicalType).Append(')');
                sb.Append(";\n");
                return;
            }
            sb.Append("group ").Append(n.Name);
            if (n.LogicalType is not null) sb.Append(" (").Append(n.LogicalType).Append(')');
            sb.Append(" {\n");
            foreach (var c in n.Children) Write(c, indent + 1);
            sb.Append(' ', indent * 2).Append("}\n");
        }
        foreach (var c in Root.Children) Write(c, 1);
        return sb.Append('}').ToString();
    }
}
