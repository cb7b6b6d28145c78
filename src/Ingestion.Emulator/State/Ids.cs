using System.Security.Cryptography;

namespace Ingestion.Emulator.State;

/// <summary>Identifier shapes that look like the ones AEP hands out, so clients that sniff them are not surprised.</summary>
internal static class Ids
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>26 characters, ULID layout (48-bit millisecond time, 80 random bits), like AEP's newer batch ids.</summary>
    public static string NewBatchId(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xFF);
            ms >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);

        // 128 bits as 26 base-32 digits: the first digit carries the top 3 bits.
        var value = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }

    /// <summary>24 lowercase hex digits (seconds, then random), the shape of Catalog dataset ids.</summary>
    public static string NewDatasetId(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Math.Max(0, now.ToUnixTimeSeconds()));
        RandomNumberGenerator.Fill(bytes[4..]);
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    /// <summary>32 lowercase hex digits, the random part of a tenant schema's <c>$id</c>.</summary>
    public static string NewSchemaKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>An opaque bearer token; nothing can be read out of it, which is all clients may assume of IMS tokens.</summary>
    public static string NewAccessToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string NewRequestId() => Guid.NewGuid().ToString("D");

    public static bool IsWellFormedDatasetId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
