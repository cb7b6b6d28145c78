namespace Ingestion.Parquet;

/// <summary>
/// A node of a <see cref="ParquetSchema"/>: a primitive column, a struct, a list or a map.
/// Fields are immutable; build a tree of them and pass the top-level fields to <see cref="ParquetSchema"/>.
/// </summary>
public abstract class ParquetField
{
    private protected ParquetField(string name, Repetition repetition)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A field needs a non-empty name.", nameof(name));
        }
        if (repetition is < Repetition.Required or > Repetition.Repeated)
        {
            throw new ArgumentOutOfRangeException(nameof(repetition), repetition, "Unknown repetition.");
        }
        Name = name;
        Repetition = repetition;
    }

    public string Name { get; }

    /// <summary>
    /// Required, optional (nullable) or repeated. A repeated field without a LIST wrapper is the format's
    /// bare repeated field: it reads back as a list of required elements.
    /// </summary>
    public Repetition Repetition { get; }

    /// <summary>Optional field id (for schema evolution tools); written to the footer when set.</summary>
    public int? FieldId { get; init; }

    public bool IsNullable => Repetition == Repetition.Optional;

    public override string ToString() => $"{Repetition.ToString().ToLowerInvariant()} {Describe()}";

    private protected abstract string Describe();
}
