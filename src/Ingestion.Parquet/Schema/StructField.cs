namespace Ingestion.Parquet;

/// <summary>A group of named fields (a struct). Row values are <c>IReadOnlyDictionary&lt;string, object?&gt;</c> or objects with matching properties.</summary>
public sealed class StructField : ParquetField
{
    public StructField(string name, IEnumerable<ParquetField> fields, Repetition repetition = Repetition.Optional)
        : base(name, repetition)
    {
        Fields = fields?.ToArray() ?? throw new ArgumentNullException(nameof(fields));
        if (Fields.Count == 0)
        {
            throw new ArgumentException($"Struct '{name}' needs at least one field: Parquet has no empty groups.", nameof(fields));
        }
        ParquetSchema.CheckUniqueNames(Fields, name);
    }

    public StructField(string name, Repetition repetition, params ParquetField[] fields) : this(name, fields, repetition) { }

    public IReadOnlyList<ParquetField> Fields { get; }

    private protected override string Describe() => $"group {Name} {{ {string.Join("; ", Fields)} }}";
}
