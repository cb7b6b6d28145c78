using System.Text;

namespace Ingestion.Parquet.Tests;

/// <summary>
/// Seeded generator of random schemas and of values already in the form the reader returns, so a
/// write-then-read round trip can be compared with plain deep equality.
/// </summary>
internal sealed class RandomData(int seed)
{
    private readonly Random _random = new(seed);
    private int _names;

    /// <summary>Only shapes every reader agrees on: no key-only maps, no bare repeated fields (readers differ on them).</summary>
    public bool PortableShapesOnly { get; init; }

    public Random Random => _random;

    public ParquetSchema Schema(int fields, int maxDepth)
    {
        var list = new List<ParquetField>();
        for (int i = 0; i < fields; i++) list.Add(Field(maxDepth, allowRepeated: true));
        return new ParquetSchema(list);
    }

    private string Name() => "f" + _names++;

    private Repetition NullableOrRequired() => _random.Next(3) == 0 ? Repetition.Required : Repetition.Optional;

    public ParquetField Field(int depth, bool allowRepeated)
    {
        int kind = depth <= 0 ? 0 : _random.Next(10);
        var repetition = NullableOrRequired();
        switch (kind)
        {
            case 6 or 7:
                return new ListField(Name(), Field(depth - 1, allowRepeated: false), repetition);
            case 8:
                {
                    var key = _random.Next(2) == 0 ? PrimitiveField.String("key", Repetition.Required) : PrimitiveField.Int32("key", Repetition.Required);
                    var value = _random.Next(5) == 0 && !PortableShapesOnly ? null : Field(depth - 1, allowRepeated: false);
                    return new MapField(Name(), key, value is null ? null : Rename(value, "value"), repetition);
                }
            case 9:
                {
                    int n = _random.Next(1, 4);
                    var children = Enumerable.Range(0, n).Select(_ => Field(depth - 1, allowRepeated: true)).ToArray();
                    return new StructField(Name(), children, allowRepeated && !PortableShapesOnly && _random.Next(6) == 0 ? Repetition.Repeated : repetition);
                }
            default:
                {
                    var p = Primitive(Name(), repetition);
                    return allowRepeated && !PortableShapesOnly && _random.Next(8) == 0
                        ? new PrimitiveField(p.Name, p.PhysicalType, Repetition.Repeated, p.LogicalType, p.TypeLength)
                        : p;
                }
        }
    }

    private static ParquetField Rename(ParquetField f, string name) => f switch
    {
        PrimitiveField p => new PrimitiveField(name, p.PhysicalType, p.Repetition, p.LogicalType, p.TypeLength),
        StructField s => new StructField(name, s.Fields, s.Repetition),
        ListField l => new ListField(name, l.Element, l.Repetition),
        MapField m => new MapField(name, m.Key, m.Value, m.Repetition),
        _ => f,
    };

    public PrimitiveField Primitive(string name, Repetition repetition) => _random.Next(22) switch
    {
        0 => PrimitiveField.Boolean(name, repetition),
        1 => PrimitiveField.Int32(name, repetition),
        2 => PrimitiveField.Int64(name, repetition),
        3 => PrimitiveField.Float(name, repetition),
        4 => PrimitiveField.Double(name, repetition),
        5 or 6 => PrimitiveField.String(name, repetition),
        7 => PrimitiveField.Binary(name, repetition),
        8 => PrimitiveField.Date(name, repetition),
        9 => PrimitiveField.Timestamp(name, TimeUnit.Millis, true, repetition),
        10 => PrimitiveField.Timestamp(name, TimeUnit.Micros, _random.Next(2) == 0, repetition),
        11 => PrimitiveField.Decimal(name, _random.Next(1, 10), 0, repetition) is var d1 ? WithScale(d1) : null!,
        12 => WithScale(PrimitiveField.Decimal(name, _random.Next(10, 19), 0, repetition)),
        13 => WithScale(PrimitiveField.Decimal(name, _random.Next(19, 29), 0, repetition)),
        14 => new PrimitiveField(name, PhysicalType.ByteArray, repetition, LogicalType.Decimal(_random.Next(1, 29), 0) is var bd ? LogicalType.Decimal(bd.Precision, _random.Next(0, bd.Precision + 1)) : null),
        15 => PrimitiveField.Integer(name, new[] { 8, 16, 32, 64 }[_random.Next(4)], _random.Next(2) == 0, repetition),
        16 => PrimitiveField.Json(name, repetition),
        17 => PrimitiveField.Uuid(name, repetition),
        18 => PrimitiveField.FixedLenByteArray(name, _random.Next(1, 20), repetition),
        19 => new PrimitiveField(name, PhysicalType.Int32, repetition, LogicalType.Time(TimeUnit.Millis)),
        20 => new PrimitiveField(name, PhysicalType.Int64, repetition, LogicalType.Time(TimeUnit.Micros)),
        _ => PrimitiveField.String(name, repetition),
    };

    private PrimitiveField WithScale(PrimitiveField f)
    {
        var t = f.LogicalType!;
        int scale = _random.Next(0, Math.Min(t.Precision, 28) + 1);
        return new PrimitiveField(f.Name, f.PhysicalType, f.Repetition, LogicalType.Decimal(t.Precision, scale), f.TypeLength);
    }

    public Dictionary<string, object?> Row(ParquetSchema schema)
    {
        var row = new Dictionary<string, object?>();
        foreach (var f in schema.Fields) row[f.Name] = Value(f);
        return row;
    }

    public object? Value(ParquetField field)
    {
        if (field.Repetition == Repetition.Repeated)
        {
            int n = _random.Next(4);
            var items = new List<object?>();
            for (int i = 0; i < n; i++) items.Add(Instance(field));
            return items;
        }
        if (field.Repetition == Repetition.Optional && _random.Next(5) == 0)
        {
            return null;
        }
        return Instance(field);
    }

    private object? Instance(ParquetField field)
    {
        switch (field)
        {
            case StructField s:
                {
                    var d = new Dictionary<string, object?>();
                    foreach (var c in s.Fields) d[c.Name] = Value(c);
                    return d;
                }
            case ListField l:
                {
                    int n = _random.Next(5) == 0 ? 0 : _random.Next(1, 5);
                    var items = new List<object?>();
                    for (int i = 0; i < n; i++) items.Add(Value(l.Element));
                    return items;
                }
            case MapField m:
                {
                    int n = _random.Next(5) == 0 ? 0 : _random.Next(1, 4);
                    var map = new Dictionary<object, object?>();
                    for (int i = 0; i < n; i++)
                    {
                        var key = Scalar((PrimitiveField)m.Key)!;
                        map[key] = m.Value is null ? null : Value(m.Value);
                    }
                    return map;
                }
            default:
                return Scalar((PrimitiveField)field);
        }
    }

    private static readonly string[] Texts = ["", "a", "Z", "é", "日本語", "emoji 😀", "line\nbreak", "quote\"", new string('x', 300)];

    public object? Scalar(PrimitiveField f)
    {
        var r = _random;
        bool extreme = r.Next(6) == 0;
        var t = f.LogicalType;
        switch (t?.Kind)
        {
            case LogicalTypeKind.String:
                return r.Next(3) == 0 ? Texts[r.Next(Texts.Length)] : "s" + r.Next(50);
            case LogicalTypeKind.Json:
                return r.Next(3) switch { 0 => "{\"k\":" + r.Next(100) + "}", 1 => "[1,\"two\",null]", _ => "\"text\"" };
            case LogicalTypeKind.Date:
                return extreme ? (r.Next(2) == 0 ? DateOnly.MinValue : DateOnly.MaxValue) : DateOnly.FromDayNumber(r.Next(700_000, 760_000));
            case LogicalTypeKind.Timestamp:
                {
                    long unitTicks = t.Unit == TimeUnit.Millis ? TimeSpan.TicksPerMillisecond : 10;
                    long ticks = extreme ? (r.Next(2) == 0 ? DateTime.MinValue.Ticks : DateTime.MaxValue.Ticks / unitTicks * unitTicks)
                        : r.NextInt64(DateTime.UnixEpoch.Ticks - 20 * TimeSpan.TicksPerDay * 365, DateTime.UnixEpoch.Ticks + 80 * TimeSpan.TicksPerDay * 365) / unitTicks * unitTicks;
                    return new DateTime(ticks, t.IsAdjustedToUtc ? DateTimeKind.Utc : DateTimeKind.Unspecified);
                }
            case LogicalTypeKind.Time:
                return t.Unit == TimeUnit.Millis ? TimeSpan.FromMilliseconds(r.Next(86_400_000)) : TimeSpan.FromTicks(r.NextInt64(864_000_000) * 1000 / 10 * 10);
            case LogicalTypeKind.Decimal:
                {
                    int digits = Math.Min(t.Precision, 28);
                    decimal max = 1;
                    for (int i = 0; i < digits; i++) max *= 10;
                    decimal unscaled = extreme ? max - 1 : Math.Floor((decimal)r.NextDouble() * max);
                    if (r.Next(2) == 0) unscaled = -unscaled;
                    decimal value = unscaled;
                    for (int i = 0; i < t.Scale; i++) value /= 10;
                    // Give the value exactly the column's scale, as the reader returns it.
                    return decimal.Round(value, t.Scale) + new decimal(0, 0, 0, false, (byte)t.Scale);
                }
            case LogicalTypeKind.Integer:
                return (t.BitWidth, t.IsSigned) switch
                {
                    (8, true) => (sbyte)(extreme ? sbyte.MinValue : r.Next(-128, 128)),
                    (16, true) => (short)(extreme ? short.MaxValue : r.Next(-32768, 32768)),
                    (32, true) => extreme ? int.MinValue : r.Next(),
                    (64, true) => extreme ? long.MinValue : r.NextInt64(),
                    (8, false) => (byte)(extreme ? byte.MaxValue : r.Next(256)),
                    (16, false) => (ushort)(extreme ? ushort.MaxValue : r.Next(65536)),
                    (32, false) => extreme ? uint.MaxValue : (uint)r.NextInt64(uint.MaxValue),
                    _ => extreme ? ulong.MaxValue : (ulong)r.NextInt64(),
                };
            case LogicalTypeKind.Uuid:
                return extreme ? Guid.Empty : Guid.NewGuid();
        }
        switch (f.PhysicalType)
        {
            case PhysicalType.Boolean:
                return r.Next(2) == 0;
            case PhysicalType.Int32:
                return extreme ? (r.Next(2) == 0 ? int.MinValue : int.MaxValue) : r.Next(-1000, 1000);
            case PhysicalType.Int64:
                return extreme ? (r.Next(2) == 0 ? long.MinValue : long.MaxValue) : r.NextInt64(-1_000_000, 1_000_000);
            case PhysicalType.Float:
                return extreme ? new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0f, float.Epsilon, float.MaxValue }[r.Next(6)] : (float)Math.Round(r.NextDouble() * 100, 2);
            case PhysicalType.Double:
                return extreme ? new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MinValue }[r.Next(6)] : r.NextDouble() * 1e6;
            case PhysicalType.FixedLenByteArray:
                {
                    var bytes = new byte[f.TypeLength];
                    r.NextBytes(bytes);
                    return bytes;
                }
            default:
                {
                    var bytes = new byte[extreme ? 0 : r.Next(0, 40)];
                    r.NextBytes(bytes);
                    return bytes;
                }
        }
    }

    /// <summary>Deep equality of reader output with generated values; floating point compares bits (NaN, -0.0).</summary>
    public static void AssertEquivalent(object? expected, object? actual, string path)
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected null, got {actual}");
                return;
            case double d:
                Assert.True(actual is double a && BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(a), $"{path}: expected {d}, got {actual}");
                return;
            case float f:
                Assert.True(actual is float b && BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits(b), $"{path}: expected {f}, got {actual}");
                return;
            case byte[] bytes:
                Assert.True(actual is byte[] c && c.AsSpan().SequenceEqual(bytes), $"{path}: bytes differ");
                return;
            case decimal m:
                Assert.True(actual is decimal n && n == m && n.Scale == m.Scale, $"{path}: expected {m}, got {actual}");
                return;
            case DateTime dt:
                Assert.True(actual is DateTime e && e == dt && e.Kind == dt.Kind, $"{path}: expected {dt:O}, got {actual:O}");
                return;
            case Dictionary<string, object?> expectedStruct:
                {
                    var actualStruct = Assert.IsType<Dictionary<string, object?>>(actual);
                    Assert.Equal(expectedStruct.Keys.Order(), actualStruct.Keys.Order());
                    foreach (var (k, v) in expectedStruct) AssertEquivalent(v, actualStruct[k], $"{path}.{k}");
                    return;
                }
            case Dictionary<object, object?> expectedMap:
                {
                    var actualMap = Assert.IsType<Dictionary<object, object?>>(actual);
                    Assert.Equal(expectedMap.Count, actualMap.Count);
                    foreach (var (k, v) in expectedMap)
                    {
                        Assert.True(actualMap.TryGetValue(k, out var av), $"{path}: key {k} missing");
                        AssertEquivalent(v, av, $"{path}[{k}]");
                    }
                    return;
                }
            case List<object?> expectedList:
                {
                    var actualList = Assert.IsType<List<object?>>(actual);
                    Assert.True(expectedList.Count == actualList.Count, $"{path}: expected {expectedList.Count} elements, got {actualList.Count}");
                    for (int i = 0; i < expectedList.Count; i++) AssertEquivalent(expectedList[i], actualList[i], $"{path}[{i}]");
                    return;
                }
            default:
                Assert.True(Equals(expected, actual), $"{path}: expected {expected} ({expected.GetType().Name}), got {actual} ({actual?.GetType().Name})");
                return;
        }
    }

    public static string Describe(object? v) => v switch
    {
        null => "null",
        string s => '"' + s + '"',
        byte[] b => Convert.ToHexString(b),
        System.Collections.IDictionary d => "{" + string.Join(", ", d.Keys.Cast<object>().Select(k => k + ": " + Describe(d[k]))) + "}",
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Describe)) + "]",
        _ => v.ToString() ?? "",
    };

    public static string Utf8(byte[] b) => Encoding.UTF8.GetString(b);
}
