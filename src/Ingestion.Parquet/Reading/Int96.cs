using System.Runtime.InteropServices;

namespace Ingestion.Parquet;

/// <summary>
/// A deprecated INT96 timestamp (Impala/Spark): nanoseconds within the day and a Julian day number.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly struct Int96 : IEquatable<Int96>
{
    private const int UnixEpochJulianDay = 2_440_588;
    private const long NanosPerDay = 86_400L * 1_000_000_000;

    public Int96(long nanosecondsOfDay, int julianDay)
    {
        NanosecondsOfDay = nanosecondsOfDay;
        JulianDay = julianDay;
    }

    public long NanosecondsOfDay { get; }

    public int JulianDay { get; }

    /// <summary>The instant as UTC, truncated to 100 ns ticks; null when it lies outside <see cref="DateTime"/>'s range.</summary>
    public DateTime? ToDateTime()
    {
        // Days and nanoseconds may each be out of range while their sum is not, so work in 128 bits.
        Int128 nanos = (Int128)(JulianDay - (long)UnixEpochJulianDay) * NanosPerDay + NanosecondsOfDay;
        Int128 ticks = nanos / 100 + DateTime.UnixEpoch.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return null;
        }
        return new DateTime((long)ticks, DateTimeKind.Utc);
    }

    public bool Equals(Int96 other) => NanosecondsOfDay == other.NanosecondsOfDay && JulianDay == other.JulianDay;

    public override bool Equals(object? obj) => obj is Int96 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(NanosecondsOfDay, JulianDay);

    public override string ToString() => ToDateTime()?.ToString("O") ?? $"Int96(day {JulianDay}, {NanosecondsOfDay} ns)";
}
