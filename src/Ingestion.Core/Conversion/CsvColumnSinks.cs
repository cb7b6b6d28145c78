using System.Runtime.CompilerServices;
using Ingestion.Parquet;

namespace Ingestion.Core.Conversion;

/// <summary>
/// Writes one CSV column into one Parquet column: the UTF-8 text of each cell is parsed straight into the typed
/// column writer, with no string or boxed value per cell.
/// </summary>
internal abstract class CsvSink
{
    /// <summary>Parses and writes a non-empty cell; false when the text does not fit the column's type.</summary>
    public abstract bool TryWrite(ReadOnlySpan<byte> text);

    /// <summary>Writes a null at a definition level below the column's maximum.</summary>
    public abstract void WriteNull(int definitionLevel);

    public static CsvSink Create(ParquetWriter writer, int column, DataField field, bool strict) => field.Type switch
    {
        DataType.Boolean => new BooleanSink(writer.GetColumn<bool>(column)),
        DataType.Int8 or DataType.Int16 or DataType.Int32 => new Int32Sink(writer.GetColumn<int>(column), field.IntegerRange.Min, field.IntegerRange.Max, strict),
        DataType.Int64 => new Int64Sink(writer.GetColumn<long>(column), strict),
        DataType.Double => new DoubleSink(writer.GetColumn<double>(column), strict),
        DataType.Date => new DateSink(writer.GetColumn<int>(column), strict),
        DataType.Timestamp => new TimestampSink(writer.GetColumn<long>(column), strict),
        DataType.String => new StringSink(writer.GetByteArrayColumn(column)),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private sealed class BooleanSink(ColumnWriter<bool> column) : CsvSink
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool TryWrite(ReadOnlySpan<byte> text)
        {
            if (!TextValues.TryParseBoolean(text, out var value))
            {
                return false;
            }

            column.Write(value);
            return true;
        }

        public override void WriteNull(int definitionLevel) => column.WriteNull(definitionLevel);
    }

    private sealed class Int32Sink(ColumnWriter<int> column, long min, long max, bool strict) : CsvSink
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool TryWrite(ReadOnlySpan<byte> text)
        {
            if (!TextValues.TryParseInt64(text, strict, out var value) || value < min || value > max)
            {
                return false;
            }

            column.Write((int)value);
            return true;
        }

        public override void WriteNull(int definitionLevel) => column.WriteNull(definitionLevel);
    }

    private sealed class Int64Sink(ColumnWriter<long> column, bool strict) : CsvSink
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool TryWrite(ReadOnlySpan<byte> text)
        {
            if (!TextValues.TryParseInt64(text, strict, out var value))
            {
                return false;
            }

            column.Write(value);
            return true;
        }

        public override void WriteNull(int definitionLevel) => column.WriteNull(definitionLevel);
    }

    private sealed class DoubleSink(ColumnWriter<double> column, bool strict) : CsvSink
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool TryWrite(ReadOnlySpan<byte> text)
        {
            // An inferred double column also holds the integers that made it one.
            if (strict && TextValues.TryParseInt64(text, strict: true, out var whole))
            {
                column.Write(whole);
                return true;
            }

            if (!TextValues.TryParseDouble(text, strict, out var value))
            {
                return false;
            }

            column.Write(value);
            return true;
        }

        public override void WriteNull(int definitionLevel) => column.WriteNull(definitionLevel);
    }

    private sealed class DateSink(ColumnWriter<int> column, bool strict) : CsvSink
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool TryWrite(ReadOnlySpan<byte> text)
        {
            if (!(strict ? TextValues.TryParseDate(text, out var days) : TextValues.TryParseDateLenient(text, out days)))
            {
                return false;
            }

            column.Write(days);
            return true;
        }

        public override void WriteNull(int definitionLevel) => column.WriteNull(definitionLevel);
    }

    private sealed class TimestampSink(ColumnWriter<long> column, bool strict) : CsvSink
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool TryWrite(ReadOnlySpan<byte> text)
        {
            if (TextValues.TryParseTimestamp(text, strict, out var micros))
            {
                column.Write(micros);
                return true;
            }

            // A date is midnight UTC: an inferred date-time column holds the dates widened into it, and AEP converts them.
            if (TextValues.TryParseDate(text, out var days))
            {
                column.Write(days * 86_400_000_000L);
                return true;
            }

            return false;
        }

        public override void WriteNull(int definitionLevel) => column.WriteNull(definitionLevel);
    }

    private sealed class StringSink(ByteArrayColumnWriter column) : CsvSink
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool TryWrite(ReadOnlySpan<byte> text)
        {
            column.Write(text);
            return true;
        }

        public override void WriteNull(int definitionLevel) => column.WriteNull(definitionLevel);
    }
}

/// <summary>A list or map field, which a CSV column cannot fill: every one of its Parquet columns gets a null.</summary>
internal sealed class NullSubtreeSink(ColumnWriter[] columns) : CsvSink
{
    public override bool TryWrite(ReadOnlySpan<byte> text) => false;

    public override void WriteNull(int definitionLevel)
    {
        foreach (var column in columns)
        {
            column.WriteNull(definitionLevel);
        }
    }
}
