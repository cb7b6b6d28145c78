using System.Globalization;
using System.Numerics;

namespace Ingestion.Parquet;

/// <summary>Conversions between <see cref="decimal"/> and Parquet's unscaled two's-complement integers.</summary>
internal static class DecimalMath
{
    private static readonly Int128[] PowersOfTen = BuildPowers();

    private static Int128[] BuildPowers()
    {
        var p = new Int128[39];
        p[0] = 1;
        for (int i = 1; i < p.Length; i++) p[i] = p[i - 1] * 10;
        return p;
    }

    /// <summary>Bytes a FIXED_LEN_BYTE_ARRAY needs to hold any unscaled value of <paramref name="precision"/> digits.</summary>
    public static int MinimumBytesForPrecision(int precision)
    {
        for (int n = 1; ; n++)
        {
            if (MaxPrecisionForBytes(n) >= precision) return n;
        }
    }

    public static int MaxPrecisionForBytes(int bytes)
    {
        if (bytes <= 0) return 0;
        if (bytes > 64) return int.MaxValue;
        // floor(log10(2^(8n-1) - 1))
        var max = BigInteger.Pow(2, 8 * bytes - 1) - 1;
        return (int)Math.Floor(BigInteger.Log10(max) + 1e-12);
    }

    /// <summary>The unscaled integer of <paramref name="value"/> at <paramref name="scale"/>; throws when digits would be lost or precision exceeded.</summary>
    public static BigInteger ToUnscaledBig(decimal value, int scale, int precision)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        int valueScale = (bits[3] >> 16) & 0xFF;
        bool negative = bits[3] < 0;
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        BigInteger unscaled;
        if (scale >= valueScale)
        {
            unscaled = mantissa * BigInteger.Pow(10, scale - valueScale);
        }
        else
        {
            var divisor = BigInteger.Pow(10, valueScale - scale);
            unscaled = BigInteger.DivRem(mantissa, divisor, out var remainder);
            if (!remainder.IsZero)
            {
                throw new ArgumentException($"{value.ToString(CultureInfo.InvariantCulture)} has more than {scale} decimal places.");
            }
        }
        if (BigInteger.Abs(unscaled) >= BigInteger.Pow(10, precision))
        {
            throw new ArgumentException($"{value.ToString(CultureInfo.InvariantCulture)} does not fit DECIMAL({precision},{scale}).");
        }
        return negative ? -unscaled : unscaled;
    }

    /// <summary>Fast path for INT32/INT64 decimals.</summary>
    public static long ToUnscaledInt64(decimal value, int scale, int precision)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        int valueScale = (bits[3] >> 16) & 0xFF;
        if (bits[2] == 0 && scale >= valueScale && scale - valueScale <= 18)
        {
            Int128 mantissa = ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
            Int128 unscaled = mantissa * PowersOfTen[scale - valueScale];
            if (precision <= 18 && unscaled < PowersOfTen[precision])
            {
                return bits[3] < 0 ? -(long)unscaled : (long)unscaled;
            }
        }
        return (long)ToUnscaledBig(value, scale, precision);
    }

    /// <summary>Writes the unscaled value as big-endian two's complement, sign-extended to <paramref name="destination"/>'s length.</summary>
    public static void WriteBigEndian(BigInteger unscaled, Span<byte> destination)
    {
        int needed = unscaled.GetByteCount(isUnsigned: false);
        if (needed > destination.Length)
        {
            throw new ArgumentException($"Unscaled decimal {unscaled} needs {needed} bytes; the column holds {destination.Length}.");
        }
        destination.Fill(unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
        unscaled.TryWriteBytes(destination[(destination.Length - needed)..], out _, isUnsigned: false, isBigEndian: true);
    }

    public static byte[] ToMinimalBigEndian(BigInteger unscaled) => unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);

    /// <summary>A decimal from an unscaled integer; a string (exact) when <see cref="decimal"/> cannot hold it.</summary>
    public static object FromUnscaled(BigInteger unscaled, int scale)
    {
        if (scale is >= 0 and <= 28)
        {
            var magnitude = BigInteger.Abs(unscaled);
            if (magnitude.GetBitLength() <= 96)
            {
                Span<byte> le = stackalloc byte[12];
                le.Clear();
                magnitude.TryWriteBytes(le, out _, isUnsigned: true, isBigEndian: false);
                int lo = BitConverter.ToInt32(le[..4]);
                int mid = BitConverter.ToInt32(le[4..8]);
                int hi = BitConverter.ToInt32(le[8..12]);
                return new decimal(lo, mid, hi, unscaled.Sign < 0, (byte)scale);
            }
        }
        return FormatExact(unscaled, scale);
    }

    public static object FromUnscaled(long unscaled, int scale)
    {
        if (scale is >= 0 and <= 28)
        {
            bool negative = unscaled < 0;
            ulong magnitude = negative ? (ulong)(-(Int128)unscaled) : (ulong)unscaled;
            return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, negative, (byte)scale);
        }
        return FormatExact(unscaled, scale);
    }

    public static BigInteger ReadBigEndian(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? BigInteger.Zero : new BigInteger(bytes, isUnsigned: false, isBigEndian: true);

    private static string FormatExact(BigInteger unscaled, int scale)
    {
        string digits = BigInteger.Abs(unscaled).ToString(CultureInfo.InvariantCulture);
        string sign = unscaled.Sign < 0 ? "-" : "";
        if (scale <= 0)
        {
            return sign + digits + new string('0', -scale);
        }
        if (digits.Length <= scale)
        {
            digits = new string('0', scale - digits.Length + 1) + digits;
        }
        return sign + digits[..^scale] + "." + digits[^scale..];
    }
}
