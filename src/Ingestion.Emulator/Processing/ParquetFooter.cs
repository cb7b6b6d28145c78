using System.Buffers.Binary;

namespace Ingestion.Emulator.Processing;

/// <summary>
/// The checks the emulator makes on a Parquet file: "PAR1" at both ends, a footer length that fits in the
/// file, and the row count from the footer's FileMetaData. Column data and the schema are not checked
/// against the dataset's schema (a later step; the real service does).
/// </summary>
internal static class ParquetFooter
{
    private const int MaxFooterBytes = 64 * 1024 * 1024;
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;
    private static ReadOnlySpan<byte> EncryptedMagic => "PARE"u8;

    /// <summary>The number of rows, or throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static long ReadRowCount(FileStream file)
    {
        var length = file.Length;
        if (length < 12)
        {
            throw new FormatException($"it is {length} bytes long, too short for a Parquet file (magic, footer, magic)");
        }

        Span<byte> head = stackalloc byte[4];
        file.Position = 0;
        file.ReadExactly(head);
        Span<byte> tail = stackalloc byte[8];
        file.Position = length - 8;
        file.ReadExactly(tail);

        if (tail[4..].SequenceEqual(EncryptedMagic))
        {
            throw new FormatException("it is an encrypted Parquet file (PARE), which the emulator cannot read");
        }

        if (!head.SequenceEqual(Magic) || !tail[4..].SequenceEqual(Magic))
        {
            throw new FormatException("it does not start and end with the Parquet magic bytes \"PAR1\"");
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 12 || footerLength > MaxFooterBytes)
        {
            throw new FormatException($"its footer length {footerLength} does not fit in a file of {length} bytes");
        }

        var footer = new byte[footerLength];
        file.Position = length - 8 - footerLength;
        file.ReadExactly(footer);
        try
        {
            return CompactThrift.ReadFileMetaDataRowCount(footer);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"its footer (FileMetaData) is not readable: {ex.Message}", ex);
        }
    }
}
