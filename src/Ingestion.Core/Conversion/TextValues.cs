using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Ingestion.Core.Conversion;

/// <summary>What a piece of text looks like, narrowest first; inference widens a column to fit all of its values.</summary>
internal enum TextClass
{
    Empty,
    Boolean,
    Int64,
    Double,
    Date,
    Timestamp,
    String,
}

/// <summary>
/// Parses text values straight from UTF-8 bytes, without allocating: booleans, integers, doubles, ISO 8601 dates and
/// date-times. The strict forms are what inference recognises (an integer with a leading zero is a code, not a number;
/// a date-time without a zone is not an instant); the lenient forms are what a schema field accepts, following AEP's
/// conversions (a date-time without a zone is UTC, a date is midnight UTC, a whole number is epoch milliseconds).
/// </summary>
internal static class TextValues
{
    private const int UnixEpochDayNumber = 719_162;
    private const long MicrosPerSecond = 1_000_000;
    private const long MicrosPerDay = 86_400 * MicrosPerSecond;
    private const int StackLimit = 128;

    /// <summary>The narrowest class the text fits; <paramref name="scalars"/> false keeps numbers and booleans strings (JSON strings).</summary>
    public static TextClass Classify(ReadOnlySpan<byte> text, bool scalars = true)
    {
        if (text.IsEmpty)
        {
            return TextClass.Empty;
        }

        if (scalars)
        {
            if (TryParseBoolean(text, out _))
            {
                return TextClass.Boolean;
            }

            if (TryParseInt64(text, strict: true, out _))
            {
                return TextClass.Int64;
            }

            if (TryParseDouble(text, strict: true, out _))
            {
                return TextClass.Double;
            }
        }

        var first = text[0];
        if (first is >= (byte)'0' and <= (byte)'9' && text.Length >= 8)
        {
            if (TryParseDate(text, out _))
            {
                return TextClass.Date;
            }

            if (TryParseTimestamp(text, strict: true, out _))
            {
                return TextClass.Timestamp;
            }
        }

        return TextClass.String;
    }

    public static TextClass Classify(string text, bool scalars = true)
    {
        if (text.Length == 0)
        {
            return TextClass.Empty;
        }

        if (text.Length > StackLimit)
        {
            return TextClass.String;
        }

        Span<byte> buffer = stackalloc byte[StackLimit * 3];
        return Classify(buffer[..Encoding.UTF8.GetBytes(text, buffer)], scalars);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        if (text.Length == 4 && (text[0] | 0x20) == 't' && (text[1] | 0x20) == 'r' && (text[2] | 0x20) == 'u' && (text[3] | 0x20) == 'e')
        {
            value = true;
            return true;
        }

        if (text.Length == 5 && (text[0] | 0x20) == 'f' && (text[1] | 0x20) == 'a' && (text[2] | 0x20) == 'l' && (text[3] | 0x20) == 's' && (text[4] | 0x20) == 'e')
        {
            value = false;
            return true;
        }

        value = false;
        return false;
    }

    public static bool TryParseBoolean(string text, out bool value)
    {
        value = text.Equals("true", StringComparison.OrdinalIgnoreCase);
        return value || text.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An integer. Strict: an optional '-' and digits, no leading zero (so "007" and ZIP codes stay text);
    /// lenient: also a leading '+' and leading zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseInt64(ReadOnlySpan<byte> text, bool strict, out long value)
    {
        if (strict)
        {
            var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
            if (digits.IsEmpty || (digits[0] == (byte)'0' && digits.Length > 1) || digits[0] is < (byte)'0' or > (byte)'9')
            {
                value = 0;
                return false;
            }
        }

        return Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;
    }

    public static bool TryParseInt64(string text, bool strict, out long value)
    {
        if (text.Length > 40)
        {
            value = 0;
            return false;
        }

        Span<byte> buffer = stackalloc byte[text.Length * 3];
        return TryParseInt64(buffer[..Encoding.UTF8.GetBytes(text, buffer)], strict, out value);
    }

    /// <summary>
    /// A finite double. Strict: it must have a '.' or an exponent (an integer too large for a long is an id, not a
    /// measurement) and no leading zero before digits; lenient: any invariant number.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDouble(ReadOnlySpan<byte> text, bool strict, out double value)
    {
        if (strict)
        {
            if (text.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
            {
                value = 0;
                return false;
            }

            var digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
            if (digits.Length > 1 && digits[0] == (byte)'0' && digits[1] is >= (byte)'0' and <= (byte)'9')
            {
                value = 0;
                return false;
            }

            if (digits.IsEmpty || digits[0] is not ((>= (byte)'0' and <= (byte)'9') or (byte)'.'))
            {
                value = 0;
                return false;
            }
        }

        return Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && double.IsFinite(value);
    }

    public static bool TryParseDouble(string text, bool strict, out double value)
    {
        if (text.Length > StackLimit)
        {
            value = 0;
            return !strict && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }

        Span<byte> buffer = stackalloc byte[text.Length * 3];
        return TryParseDouble(buffer[..Encoding.UTF8.GetBytes(text, buffer)], strict, out value);
    }

    /// <summary>
    /// yyyy-MM-dd as days since 1970-01-01; a one-digit month or day (2024-1-5) is read too, as Spark's date cast
    /// (and so AEP) reads it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDate(ReadOnlySpan<byte> text, out int days)
    {
        days = 0;
        if (text.Length is < 8 or > 10 || text[4] != (byte)'-' || !Digits(text, 0, 4, out var year))
        {
            return false;
        }

        var second = text[5..].IndexOf((byte)'-');
        if (second is < 1 or > 2 || text.Length - 5 - second - 1 is < 1 or > 2)
        {
            return false;
        }

        if (!Digits(text, 5, second, out var month) || !Digits(text, 6 + second, text.Length - 6 - second, out var day))
        {
            return false;
        }

        if (!ValidDate(year, month, day))
        {
            return false;
        }

        days = DayNumber(year, month, day) - UnixEpochDayNumber;
        return true;
    }

    public static bool TryParseDate(string text, out int days)
    {
        Span<byte> buffer = stackalloc byte[10];
        if (text.Length is < 8 or > 10 || Encoding.UTF8.GetByteCount(text) != text.Length)
        {
            days = 0;
            return false;
        }

        Encoding.UTF8.GetBytes(text, buffer);
        return TryParseDate(buffer[..text.Length], out days);
    }

    /// <summary>
    /// An ISO 8601 date-time, <c>yyyy-MM-dd[T| ]HH:mm[:ss[.fffffffff]]</c> and a zone (<c>Z</c>, <c>±HH:mm</c>, <c>±HHmm</c>, <c>±HH</c>),
    /// as microseconds since the Unix epoch in UTC. Lenient: the zone may be missing (UTC), the time too (midnight UTC),
    /// and a bare integer is epoch milliseconds, as AEP converts them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, bool strict, out long micros)
    {
        micros = 0;
        if (!strict && text.Length > 0 && text.Length < 20 && (text[0] == (byte)'-' || text.IndexOf((byte)'-') < 0)
            && TryParseInt64(text, strict: false, out var millis))
        {
            if (millis is > 253_402_300_799_999 or < -62_135_596_800_000)
            {
                return false;
            }

            micros = millis * 1000;
            return true;
        }

        if (text.Length < 10 || !TryParseDate(text[..10], out var days))
        {
            return false;
        }

        if (text.Length == 10)
        {
            micros = days * MicrosPerDay;
            return !strict;
        }

        var rest = text[10..];
        if (rest[0] is not ((byte)'T' or (byte)'t' or (byte)' ') || rest.Length < 6 || rest[3] != (byte)':'
            || !Digits(rest, 1, 2, out var hour) || !Digits(rest, 4, 2, out var minute) || hour > 23 || minute > 59)
        {
            return false;
        }

        var position = 6;
        var second = 0;
        long fraction = 0;
        if (position < rest.Length && rest[position] == (byte)':')
        {
            if (!Digits(rest, position + 1, 2, out second) || second > 59)
            {
                return false;
            }

            position += 3;
            if (position < rest.Length && rest[position] is (byte)'.' or (byte)',')
            {
                position++;
                var start = position;
                while (position < rest.Length && rest[position] is >= (byte)'0' and <= (byte)'9')
                {
                    if (position - start < 6)
                    {
                        fraction = (fraction * 10) + (rest[position] - '0');
                    }

                    position++;
                }

                var count = position - start;
                if (count is 0 or > 9)
                {
                    return false;
                }

                for (var i = count; i < 6; i++)
                {
                    fraction *= 10;
                }
            }
        }

        long offsetSeconds = 0;
        if (position == rest.Length)
        {
            if (strict)
            {
                return false;
            }
        }
        else if (rest[position] is (byte)'Z' or (byte)'z')
        {
            if (position + 1 != rest.Length)
            {
                return false;
            }
        }
        else if (rest[position] is (byte)'+' or (byte)'-')
        {
            var sign = rest[position] == (byte)'-' ? -1 : 1;
            var zone = rest[(position + 1)..];
            int offsetHours, offsetMinutes = 0;
            var ok = zone.Length switch
            {
                2 => Digits(zone, 0, 2, out offsetHours),
                4 => Digits(zone, 0, 2, out offsetHours) && Digits(zone, 2, 2, out offsetMinutes),
                5 => Digits(zone, 0, 2, out offsetHours) && zone[2] == (byte)':' && Digits(zone, 3, 2, out offsetMinutes),
                _ => Fail(out offsetHours),
            };
            if (!ok || offsetHours > 18 || offsetMinutes > 59)
            {
                return false;
            }

            offsetSeconds = sign * ((offsetHours * 3600L) + (offsetMinutes * 60L));
        }
        else
        {
            return false;
        }

        micros = (days * MicrosPerDay) + (((hour * 3600L) + (minute * 60L) + second - offsetSeconds) * MicrosPerSecond) + fraction;
        return true;
    }

    public static bool TryParseTimestamp(string text, bool strict, out long micros)
    {
        if (text.Length > 64)
        {
            micros = 0;
            return false;
        }

        Span<byte> buffer = stackalloc byte[text.Length * 3];
        return TryParseTimestamp(buffer[..Encoding.UTF8.GetBytes(text, buffer)], strict, out micros);
    }

    /// <summary>A date or date-time string's calendar date (in its own zone), as days since 1970-01-01; epoch milliseconds too when lenient.</summary>
    public static bool TryParseDateLenient(ReadOnlySpan<byte> text, out int days)
    {
        if (TryParseDate(text, out days))
        {
            return true;
        }

        if (text.Length > 10 && text[10] is (byte)'T' or (byte)'t' or (byte)' ' && TryParseTimestamp(text, strict: false, out _))
        {
            return TryParseDate(text[..10], out days);
        }

        if (TryParseTimestamp(text, strict: false, out var micros) && text.IndexOf((byte)':') < 0)
        {
            days = (int)Math.Floor(micros / (double)MicrosPerDay);
            return true;
        }

        return false;
    }

    public static bool TryParseDateLenient(string text, out int days)
    {
        if (text.Length > 64)
        {
            days = 0;
            return false;
        }

        Span<byte> buffer = stackalloc byte[text.Length * 3];
        return TryParseDateLenient(buffer[..Encoding.UTF8.GetBytes(text, buffer)], out days);
    }

    public static long ToMicros(DateTime value)
    {
        if (value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }

        return (value.Ticks - DateTime.UnixEpoch.Ticks) / 10;
    }

    public static DateTime FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + (micros * 10), DateTimeKind.Utc);

    public static DateOnly FromDays(int days) => DateOnly.FromDayNumber(UnixEpochDayNumber + days);

    public static int ToDays(DateOnly date) => date.DayNumber - UnixEpochDayNumber;

    private static bool Fail(out int value)
    {
        value = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static bool ValidDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>Days since 0001-01-01 (DateOnly.DayNumber) without constructing a DateOnly.</summary>
    private static int DayNumber(int year, int month, int day)
    {
        var y = year - 1;
        var days = (y * 365) + (y / 4) - (y / 100) + (y / 400);
        days += DaysBeforeMonth(month, DateTime.IsLeapYear(year));
        return days + day - 1;
    }

    private static int DaysBeforeMonth(int month, bool leap) => month switch
    {
        1 => 0,
        2 => 31,
        _ => (leap ? 60 : 59) + ((month - 3) switch
        {
            0 => 0,
            1 => 31,
            2 => 61,
            3 => 92,
            4 => 122,
            5 => 153,
            6 => 184,
            7 => 214,
            8 => 245,
            _ => 275,
        }),
    };
}
