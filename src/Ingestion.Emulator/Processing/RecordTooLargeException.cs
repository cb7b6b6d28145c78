namespace Ingestion.Emulator.Processing;

/// <summary>A single record longer than the emulator will hold in memory (usually an unterminated quote or a whole file on one line).</summary>
internal sealed class RecordTooLargeException(long row, int limit)
    : Exception($"row {row} is longer than {limit / (1024 * 1024)} MB")
{
    public long Row { get; } = row;
}
