using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Ingestion.Parquet.Tests;

/// <summary>Every file in ../shared/data: read fully, compared with documented values, or refused with the right message.</summary>
public class ReferenceFileTests
{
    private static List<Dictionary<string, object?>> Rows(string path, ParquetReadOptions? options = null) => ParquetReader.ReadAllRows(path, options);

    private static string Text(object? value) => value is byte[] b ? Encoding.UTF8.GetString(b) : value?.ToString() ?? "";

    public static TheoryData<string, long> ReadableFiles => new()
    {
        { "alltypes_plain.parquet", 8 },
        { "alltypes_plain.snappy.parquet", 2 },
        { "alltypes_dictionary.parquet", 2 },
        { "alltypes_tiny_pages.parquet", 7300 },
        { "byte_array_decimal.parquet", 24 },
        { "byte_stream_split_extended.gzip.parquet", 200 },
        { "column_chunk_key_value_metadata.parquet", 0 },
        { "concatenated_gzip_members.parquet", 513 },
        { "data_index_bloom_encoding_stats.parquet", 14 },
        { "datapage_v2.snappy.parquet", 5 },
        { "datapage_v2_empty_datapage.snappy.parquet", 1 },
        { "delta_binary_packed.parquet", 200 },
        { "delta_byte_array.parquet", 1000 },
        { "dict-page-offset-zero.parquet", 39 },
        { "fixed_length_decimal.parquet", 24 },
        { "fixed_length_decimal_legacy.parquet", 24 },
        { "incorrect_map_schema.parquet", 1 },
        { "int32_decimal.parquet", 24 },
        { "int32_with_null_pages.parquet", 1000 },
        { "int64_decimal.parquet", 24 },
        { "int96_from_spark.parquet", 6 },
        { "list_columns.parquet", 3 },
        { "map_no_value.parquet", 3 },
        { "nan_in_stats.parquet", 2 },
        { "nested_lists.snappy.parquet", 3 },
        { "nested_maps.snappy.parquet", 6 },
        { "nonnullable.impala.parquet", 1 },
        { "null_list.parquet", 1 },
        { "nullable.impala.parquet", 7 },
        { "nulls.snappy.parquet", 8 },
        { "old_list_structure.parquet", 1 },
        { "page_v2_empty_compressed.parquet", 10 },
        { "repeated_no_annotation.parquet", 6 },
        { "rle-dict-snappy-checksum.parquet", 1000 },
        { "rle_boolean_encoding.parquet", 68 },
        { "unknown-logical-type.parquet", 3 },
    };

    [Theory]
    [MemberData(nameof(ReadableFiles))]
    public void Parquet_testing_file_reads_completely(string name, long rows)
    {
        using var reader = ParquetReader.Open(TestPaths.Data(name));
        var all = reader.ReadRows().ToList();
        Assert.Equal(rows, all.Count);
        Assert.Equal(rows, reader.RowGroups.Sum(g => g.RowCount));
        Assert.All(all, row => Assert.Equal(reader.Schema.Fields.Select(f => f.Name), row.Keys));
        // Column-level reading agrees with row assembly on every chunk.
        for (int g = 0; g < reader.RowGroups.Count; g++)
        {
            foreach (var column in reader.ReadRowGroup(g))
            {
                Assert.Equal(reader.RowGroups[g].Columns[column.Column.Index].ValueCount, column.LevelCount);
            }
        }
    }

    [Fact]
    public void Alltypes_plain_values()
    {
        var rows = Rows(TestPaths.Data("alltypes_plain.parquet"));
        Assert.Equal(new[] { 4, 5, 6, 7, 2, 3, 0, 1 }, rows.Select(r => (int)r["id"]!));
        Assert.Equal(new[] { true, false, true, false, true, false, true, false }, rows.Select(r => (bool)r["bool_col"]!));
        Assert.Equal(1.1f, rows[1]["float_col"]);
        Assert.Equal(10.1, rows[1]["double_col"]);
        Assert.Equal(10L, rows[1]["bigint_col"]);
        Assert.Equal("03/01/09", Text(rows[0]["date_string_col"]));
        Assert.Equal(new DateTime(2009, 3, 1, 0, 0, 0, DateTimeKind.Utc), rows[0]["timestamp_col"]);
        Assert.Equal(new DateTime(2009, 1, 1, 0, 1, 0, DateTimeKind.Utc), rows[7]["timestamp_col"]);

        var snappy = Rows(TestPaths.Data("alltypes_plain.snappy.parquet"));
        Assert.Equal(new[] { 6, 7 }, snappy.Select(r => (int)r["id"]!));
        var dictionary = Rows(TestPaths.Data("alltypes_dictionary.parquet"));
        Assert.Equal(new[] { 0, 1 }, dictionary.Select(r => (int)r["id"]!));
    }

    [Fact]
    public void Alltypes_tiny_pages_has_every_id_once()
    {
        var rows = Rows(TestPaths.Data("alltypes_tiny_pages.parquet"));
        Assert.Equal(Enumerable.Range(0, 7300), rows.Select(r => (int)r["id"]!).Order());
        Assert.All(rows, r => Assert.Equal((int)r["id"]! % 10, (int)r["int_col"]!));
    }

    [Theory]
    [InlineData("byte_array_decimal.parquet")]
    [InlineData("int32_decimal.parquet")]
    [InlineData("int64_decimal.parquet")]
    [InlineData("fixed_length_decimal.parquet")]
    [InlineData("fixed_length_decimal_legacy.parquet")]
    public void Decimal_files_hold_one_to_twenty_four(string name)
    {
        var rows = Rows(TestPaths.Data(name));
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (decimal)i), rows.Select(r => (decimal)r["value"]!));
        Assert.Equal(2, ((decimal)rows[0]["value"]!).Scale);
    }

    [Fact]
    public void Byte_stream_split_columns_equal_their_plain_twins()
    {
        var rows = Rows(TestPaths.Data("byte_stream_split_extended.gzip.parquet"));
        foreach (var kind in new[] { "float16", "float", "double", "int32", "int64", "flba5", "decimal" })
        {
            Assert.All(rows, r => Assert.Equal(Text(r[$"{kind}_plain"]), Text(r[$"{kind}_byte_stream_split"])));
        }
        Assert.Equal(10.337575f, rows[0]["float_plain"]);
        Assert.Equal((Half)10.305, rows[0]["float16_plain"]);
        Assert.Equal(1003.858m, rows[0]["decimal_byte_stream_split"]);
    }

    [Fact]
    public void Concatenated_gzip_members_are_all_read()
    {
        var rows = Rows(TestPaths.Data("concatenated_gzip_members.parquet"));
        Assert.Equal(Enumerable.Range(1, 513).Select(i => (ulong)i), rows.Select(r => (ulong)r["long_col"]!));
    }

    [Fact]
    public void Data_page_v2_values()
    {
        var rows = Rows(TestPaths.Data("datapage_v2.snappy.parquet"));
        Assert.Equal(new object?[] { "abc", "abc", "abc", null, "abc" }, rows.Select(r => r["a"]));
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, rows.Select(r => (int)r["b"]!));
        Assert.Equal(new[] { 2.0, 3, 4, 5, 2 }, rows.Select(r => (double)r["c"]!));
        Assert.Equal(new object?[] { 1, 2, 3 }, (List<object?>)rows[0]["e"]!);
        Assert.Null(rows[1]["e"]);
        Assert.Equal(new object?[] { 1, 2 }, (List<object?>)rows[4]["e"]!);
        Assert.Null(Rows(TestPaths.Data("datapage_v2_empty_datapage.snappy.parquet"))[0]["value"]);
        Assert.All(Rows(TestPaths.Data("page_v2_empty_compressed.parquet")), r => Assert.Null(r["integer_column"]));
    }

    [Fact]
    public void Delta_byte_array_matches_the_upstream_oracle()
    {
        var rows = Rows(TestPaths.Data("delta_byte_array.parquet"));
        var lines = File.ReadAllLines(TestPaths.Data("delta_byte_array_expect.csv"));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        Assert.Equal(rows.Count, lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = SplitCsv(lines[i]);
            Assert.Equal(header.Length, cells.Count);
            for (int c = 0; c < header.Length; c++)
            {
                Assert.Equal(cells[c], rows[i - 1][header[c]]);
            }
        }
    }

    /// <summary>Splits a CSV line: quoted cells are text (quotes doubled inside), an empty unquoted cell is null.</summary>
    private static List<string?> SplitCsv(string line)
    {
        var cells = new List<string?>();
        int i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(line[i++]);
                }
                cells.Add(sb.ToString());
            }
            else
            {
                int end = line.IndexOf(',', i);
                string raw = end < 0 ? line[i..] : line[i..end];
                cells.Add(raw.Length == 0 ? null : raw);
                i = end < 0 ? line.Length : end;
            }
            if (i >= line.Length) break;
            i++; // comma
        }
        return cells;
    }

    [Fact]
    public void Delta_binary_packed_columns_have_deltas_of_their_declared_width()
    {
        using var reader = ParquetReader.Open(TestPaths.Data("delta_binary_packed.parquet"));
        Assert.Contains(ParquetEncoding.DeltaBinaryPacked, reader.RowGroups[0].Columns[0].Encodings);
        var columns = reader.ReadRowGroup(0);
        int checkedColumns = 0;
        foreach (var data in columns)
        {
            var name = data.Column.DottedPath;
            if (!name.StartsWith("bitwidth", StringComparison.Ordinal)) continue;
            int width = int.Parse(name["bitwidth".Length..], CultureInfo.InvariantCulture);
            var values = ((ColumnData<long>)data).Values.ToArray();
            Assert.Equal(200, values.Length);
            if (width is 0 or 64) continue;
            // Within each block of 128 values every delta lies in [min, min + 2^width).
            for (int start = 1; start < values.Length; start += 128)
            {
                var deltas = Enumerable.Range(start, Math.Min(128, values.Length - start)).Select(i => unchecked(values[i] - values[i - 1])).ToArray();
                var spread = unchecked((ulong)(deltas.Max() - deltas.Min()));
                Assert.True(spread < 1UL << width, $"{name}: spread {spread}");
            }
            checkedColumns++;
        }
        Assert.Equal(63, checkedColumns);
        var intColumn = (ColumnData<int>)columns.Single(c => c.Column.DottedPath == "int_value");
        Assert.Equal(200, intColumn.Values.Length);
    }

    [Fact]
    public void Nested_files_assemble_as_upstream_documents()
    {
        var lists = Rows(TestPaths.Data("list_columns.parquet"));
        Assert.Equal(new object?[] { 1L, 2L, 3L }, (List<object?>)lists[0]["int64_list"]!);
        Assert.Equal(new object?[] { null, 1L }, (List<object?>)lists[1]["int64_list"]!);
        Assert.Null(lists[1]["utf8_list"]);
        Assert.Equal(new object?[] { "efg", null, "hij", "xyz" }, (List<object?>)lists[2]["utf8_list"]!);

        var nested = Rows(TestPaths.Data("nested_lists.snappy.parquet"));
        var a = (List<object?>)nested[0]["a"]!;
        Assert.Equal(new object?[] { "a", "b" }, (List<object?>)((List<object?>)a[0]!)[0]!);
        Assert.Null(((List<object?>)a[1]!)[0]);

        var maps = Rows(TestPaths.Data("nested_maps.snappy.parquet"));
        var inner = (Dictionary<object, object?>)((Dictionary<object, object?>)maps[0]["a"]!)["a"]!;
        Assert.Equal(true, inner[1]);
        Assert.Equal(false, inner[2]);
        Assert.Null(((Dictionary<object, object?>)maps[2]["a"]!)["c"]);
        Assert.Empty((Dictionary<object, object?>)((Dictionary<object, object?>)maps[3]["a"]!)["d"]!);

        Assert.Empty((List<object?>)Rows(TestPaths.Data("null_list.parquet"))[0]["emptylist"]!);

        var old = (List<object?>)Rows(TestPaths.Data("old_list_structure.parquet"))[0]["a"]!;
        Assert.Equal(new object?[] { 1, 2 }, (List<object?>)old[0]!);
        Assert.Equal(new object?[] { 3, 4 }, (List<object?>)old[1]!);

        var phones = Rows(TestPaths.Data("repeated_no_annotation.parquet"));
        Assert.Null(phones[0]["phoneNumbers"]);
        Assert.Empty((List<object?>)((Dictionary<string, object?>)phones[2]["phoneNumbers"]!)["phone"]!);
        var three = (List<object?>)((Dictionary<string, object?>)phones[5]["phoneNumbers"]!)["phone"]!;
        Assert.Equal(3, three.Count);
        Assert.Equal("mobile", ((Dictionary<string, object?>)three[2]!)["kind"]);

        var noValue = Rows(TestPaths.Data("map_no_value.parquet"));
        Assert.Equal(new object[] { 1, 2, 3 }, ((Dictionary<object, object?>)noValue[0]["my_map_no_v"]!).Keys);
        Assert.Equal(new object?[] { 4, 5, 6 }, (List<object?>)noValue[1]["my_list"]!);

        var presto = Rows(TestPaths.Data("incorrect_map_schema.parquet"));
        Assert.Equal("report", ((Dictionary<object, object?>)presto[0]["my_map"]!)["name"]);
    }

    [Fact]
    public void Impala_nullable_file_keeps_nulls_at_every_level()
    {
        var rows = Rows(TestPaths.Data("nullable.impala.parquet"));
        Assert.Equal(new object?[] { null, 1, 2, null, 3, null }, (List<object?>)rows[1]["int_array"]!);
        var arrays = (List<object?>)rows[1]["int_array_Array"]!;
        Assert.Equal(new object?[] { null, 1, 2, null }, (List<object?>)arrays[0]!);
        Assert.Empty((List<object?>)arrays[2]!);
        Assert.Null(arrays[3]);
        Assert.Empty((List<object?>)rows[2]["int_array"]!);
        Assert.Null(((Dictionary<object, object?>)rows[1]["int_map"]!)["k2"]);
        var nonNullable = Rows(TestPaths.Data("nonnullable.impala.parquet"))[0];
        Assert.Equal(8L, nonNullable["ID"]);
        Assert.Equal(-1, ((Dictionary<object, object?>)nonNullable["Int_Map"]!)["k1"]);
    }

    [Fact]
    public void Int96_timestamps_convert_or_stay_raw_outside_datetime()
    {
        var rows = Rows(TestPaths.Data("int96_from_spark.parquet"));
        Assert.Equal(new DateTime(2024, 1, 1, 20, 34, 56, DateTimeKind.Utc).AddTicks(1234560), rows[0]["a"]);
        Assert.Equal(new DateTime(9999, 12, 31, 3, 0, 0, DateTimeKind.Utc), rows[2]["a"]);
        Assert.Null(rows[4]["a"]);
        Assert.IsType<Int96>(rows[5]["a"]);
    }

    [Fact]
    public void Other_data_files_spot_values()
    {
        var nulls = Rows(TestPaths.Data("nulls.snappy.parquet"));
        Assert.All(nulls, r => Assert.Null(((Dictionary<string, object?>)r["b_struct"]!)["b_c_int"]));

        var booleans = Rows(TestPaths.Data("rle_boolean_encoding.parquet"));
        Assert.Equal(new object?[] { true, false, null, true, true, false }, booleans.Take(6).Select(r => r["datatype_boolean"]));

        var nullPages = Rows(TestPaths.Data("int32_with_null_pages.parquet"));
        Assert.Equal(-654807448, nullPages[0]["int32_field"]);
        Assert.Null(nullPages[4]["int32_field"]);

        var nan = Rows(TestPaths.Data("nan_in_stats.parquet"));
        Assert.True(double.IsNaN((double)nan[1]["x"]!));

        var offsetZero = Rows(TestPaths.Data("dict-page-offset-zero.parquet"));
        Assert.All(offsetZero, r => Assert.Equal(1552, r["l_partkey"]));

        var unknown = Rows(TestPaths.Data("unknown-logical-type.parquet"));
        Assert.Equal("known string 1", unknown[0]["column with known type"]);
        Assert.Equal("unknown string 1", Text(unknown[0]["column with unknown type"]));

        using var kv = ParquetReader.Open(TestPaths.Data("column_chunk_key_value_metadata.parquet"));
        var chunkMetadata = kv.RowGroups.SelectMany(g => g.Columns).SelectMany(c => c.KeyValueMetadata).ToList();
        Assert.NotEmpty(chunkMetadata);
        Assert.Contains(chunkMetadata, p => p.Value is null);

        using var stats = ParquetReader.Open(TestPaths.Data("data_index_bloom_encoding_stats.parquet"));
        Assert.NotNull(stats.RowGroups[0].Columns[0].EncodingStats);
        Assert.Equal(14, stats.ReadRows().Count());
    }

    [Fact]
    public void Page_checksums_are_verified()
    {
        Assert.Equal(1000, Rows(TestPaths.Data("rle-dict-snappy-checksum.parquet")).Count);
        foreach (var name in new[] { "datapage_v1-corrupt-checksum.parquet", "rle-dict-uncompressed-corrupt-checksum.parquet" })
        {
            var e = Assert.ThrowsAny<ParquetFormatException>(() => Rows(TestPaths.Data(name)));
            Assert.Contains("CRC", e.Message);
            Assert.NotNull(e.FileOffset);
        }
        // With verification off the corrupt page still decodes (the corruption is in the values).
        Assert.NotEmpty(Rows(TestPaths.Data("datapage_v1-corrupt-checksum.parquet"), new ParquetReadOptions { VerifyChecksums = false }));
    }

    [Fact]
    public void Malformed_dictionary_file_fails_cleanly()
    {
        Assert.ThrowsAny<ParquetFormatException>(() => Rows(TestPaths.Data("nation.dict-malformed.parquet")));
    }

    [Theory]
    [InlineData("byte_stream_split.zstd.parquet", "ZSTD")]
    [InlineData("delta_length_byte_array.parquet", "ZSTD")]
    [InlineData("nested_structs.rust.parquet", "ZSTD")]
    [InlineData("hadoop_lz4_compressed.parquet", "LZ4")]
    [InlineData("lz4_raw_compressed.parquet", "LZ4_RAW")]
    public void Unsupported_codecs_are_named_but_metadata_still_reads(string name, string codec)
    {
        using var reader = ParquetReader.Open(TestPaths.Data(name));
        Assert.True(reader.Metadata.RowCount > 0);
        Assert.NotEmpty(reader.Schema.Columns);
        var e = Assert.Throws<ParquetNotSupportedException>(() => reader.ReadRows().ToList());
        Assert.Contains(codec, e.Message);
    }

    [Fact]
    public void Encrypted_file_is_refused_by_name()
    {
        var e = Assert.Throws<ParquetNotSupportedException>(() => ParquetReader.Open(TestPaths.Data("uniform_encryption.parquet.encrypted")));
        Assert.Contains("Encryption", e.Message);
        Assert.Contains("PARE", e.Message);
    }

    public static TheoryData<string> BadFiles => new(Directory.GetFiles(TestPaths.ParquetTestingBadData, "*.parquet").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Bad_data_fails_with_a_format_exception_quickly(string name)
    {
        var path = Path.Combine(TestPaths.ParquetTestingBadData, name);
        var watch = Stopwatch.StartNew();
        var task = Task.Run(() => Rows(path));
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == task, $"{name} did not finish in time");
        var e = await Assert.ThrowsAnyAsync<ParquetFormatException>(() => task);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Bad_data_messages_say_what_and_where()
    {
        string Message(string name) => Assert.ThrowsAny<ParquetFormatException>(() => Rows(Path.Combine(TestPaths.ParquetTestingBadData, name))).Message;
        Assert.Contains("repetition level", Message("ARROW-GH-45185.parquet"));
        Assert.Contains("column", Message("ARROW-RS-GH-6229-DICTHEADER.parquet"));
        Assert.Contains("column", Message("ARROW-RS-GH-6229-LEVELS.parquet"));
        Assert.Contains("column", Message("ARROW-GH-41321.parquet"));
        Assert.Contains("column", Message("ARROW-GH-47662.parquet"));
        Assert.Contains("type", Message("PARQUET-1481.parquet"));
    }

    [Fact]
    public void Experience_platform_reference_files()
    {
        var sample = Rows(Path.Combine(TestPaths.EtlReference, "sample.parquet"));
        Assert.Single(sample);
        Assert.Equal("Akhilesh", Text(((Dictionary<string, object?>)sample[0]["VisitorId"]!)["value"]));

        var pdf = Rows(Path.Combine(TestPaths.EtlReference, "pdfTest.parquet"));
        Assert.Single(pdf);
        var dataSource = (Dictionary<string, object?>)pdf[0]["dataSource"]!;
        Assert.Equal(new object?[] { "tag1", "tag2" }, (List<object?>)dataSource["tags"]!);
        var map = (Dictionary<object, object?>)pdf[0]["mapField"]!;
        Assert.Equal("Bob", ((Dictionary<string, object?>)map["key1"]!)["name"]);

        var all = Rows(Path.Combine(TestPaths.EtlReference, "allDataTypes.parquet"));
        var ds = (Dictionary<string, object?>)all[0]["dataSource"]!;
        Assert.Equal(new DateTime(2018, 6, 1, 8, 46, 16, DateTimeKind.Utc), ds["lastVerifiedDateTime"]);
        Assert.Equal((short)2000, ds["shortKey"]);
        Assert.Equal((sbyte)12, ds["byteKey"]);

        var int96 = Rows(Path.Combine(TestPaths.EtlReference, "int96file.parquet"));
        Assert.Equal(3, int96.Count);
        Assert.Equal(new DateTime(2018, 5, 10, 5, 2, 16, DateTimeKind.Utc), int96[0]["timestamp"]);

        var snappy = Rows(Path.Combine(TestPaths.EtlReference, "test_snappy.parquet"));
        Assert.Equal(100, snappy.Count);
        Assert.Equal("0TAI2Z330D0MS83UPC", snappy[0]["G"]);
    }
}
