namespace Ingestion.Parquet;

/// <summary>
/// A map (MAP-annotated group): <c>&lt;name&gt; (MAP) { repeated group key_value { required key; value } }</c>.
/// Row values are dictionaries or sequences of key/value pairs.
/// </summary>
public sealed class MapField : ParquetField
{
    public MapField(string name, ParquetField key, ParquetField? value, Repetition repetition = Repetition.Optional)
        : this(name, key, value, repetition, "key_value")
    {
        if (key.Repetition != Repetition.Required)
        {
            throw new ArgumentException($"The key of map '{name}' must be required.", nameof(key));
        }
    }

    internal MapField(string name, ParquetField key, ParquetField? value, Repetition repetition, string repeatedNodeName)
        : base(name, repetition)
    {
        if (repetition == Repetition.Repeated)
        {
            throw new ArgumentException($"Map '{name}' cannot itself be repeated.", nameof(repetition));
        }
        Key = key ?? throw new ArgumentNullException(nameof(key));
        if (value is not null && value.Repetition == Repetition.Repeated)
        {
            throw new ArgumentException($"The value of map '{name}' must be required or optional.", nameof(value));
        }
        if (value is not null && value.Name == key.Name)
        {
            throw new ArgumentException($"The key and value of map '{name}' need different names.", nameof(value));
        }
        Value = value;
        RepeatedNodeName = repeatedNodeName;
    }

    public ParquetField Key { get; }

    /// <summary>The value field; null for a map that only has keys (a set), which some writers produce.</summary>
    public ParquetField? Value { get; }

    /// <summary>Name of the repeated key/value group ("key_value" in the standard form).</summary>
    public string RepeatedNodeName { get; }

    private protected override string Describe() => $"map {Name} <{Key}, {Value?.ToString() ?? "no value"}>";
}
