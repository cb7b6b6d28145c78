namespace Ingestion.Parquet;

/// <summary>How a list is laid out in the file. The writer always uses <see cref="ThreeLevel"/>; the others are read from older writers.</summary>
public enum ListLayout
{
    /// <summary><c>&lt;name&gt; (LIST) { repeated group list { &lt;element&gt; } }</c>, the standard form.</summary>
    ThreeLevel,

    /// <summary>Legacy <c>&lt;name&gt; (LIST) { repeated &lt;element&gt; }</c>: the repeated node is the element, whose values cannot be null.</summary>
    TwoLevel,
}

/// <summary>
/// A list (LIST-annotated group). The list itself may be required or optional (null vs empty are distinct);
/// the element may be required or optional, primitive or nested.
/// </summary>
public sealed class ListField : ParquetField
{
    public ListField(string name, ParquetField element, Repetition repetition = Repetition.Optional)
        : this(name, element, repetition, ListLayout.ThreeLevel, "list")
    {
    }

    internal ListField(string name, ParquetField element, Repetition repetition, ListLayout layout, string repeatedNodeName)
        : base(name, repetition)
    {
        if (repetition == Repetition.Repeated)
        {
            throw new ArgumentException($"List '{name}' cannot itself be repeated: nest a list in the element instead.", nameof(repetition));
        }
        Element = element ?? throw new ArgumentNullException(nameof(element));
        if (layout == ListLayout.ThreeLevel && element.Repetition == Repetition.Repeated)
        {
            throw new ArgumentException($"The element of list '{name}' must be required or optional.", nameof(element));
        }
        Layout = layout;
        RepeatedNodeName = repeatedNodeName;
    }

    public ParquetField Element { get; }

    public ListLayout Layout { get; }

    /// <summary>Name of the repeated group between the list and its element ("list" in the standard form).</summary>
    public string RepeatedNodeName { get; }

    private protected override string Describe() => $"list {Name} <{Element}>";
}
