using System.Text.Json;

namespace Ingestion.Emulator.State;

/// <summary>
/// Everything known about one batch; persisted as <c>batches/&lt;id&gt;/batch.json</c>.
/// Immutable: a change is a new instance written to disk before it replaces the old one in memory.
/// </summary>
internal sealed record BatchState
{
    public required string Id { get; init; }
    public required string DatasetId { get; init; }
    public required string ImsOrg { get; init; }
    public required string Status { get; init; }
    public required long Created { get; init; }
    public required long Updated { get; init; }

    /// <summary>When COMPLETE was accepted; processing is due at <c>Started + ProcessingDelay</c>.</summary>
    public long? Started { get; init; }
    public long? Completed { get; init; }

    public required BatchInputFormat InputFormat { get; init; }
    public BatchReplay? Replay { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public required string ExternalId { get; init; }
    public bool EnableErrorDiagnostics { get; init; }
    public required string CreatedClient { get; init; }
    public required string CreatedUser { get; init; }
    public IReadOnlyList<BatchFile> Files { get; init; } = [];

    /// <summary>Large files between INITIALIZE and their file COMPLETE; null (not written) when there are none.</summary>
    public IReadOnlyList<LargeFileUpload>? LargeFiles { get; init; }

    public long? RecordCount { get; init; }
    public long? FailedRecordCount { get; init; }
    public IReadOnlyList<BatchErrorEntry> Errors { get; init; } = [];

    /// <summary>Names of the files a failed batch lists under Data Access <c>/batches/{id}/failed</c>.</summary>
    public IReadOnlyList<string> FailedFiles { get; init; } = [];
    public BatchMetrics? Metrics { get; init; }
    public string Version { get; init; } = "1.0.0";
}

/// <summary><c>format</c> is stored lowercase, the form Catalog uses.</summary>
internal sealed record BatchInputFormat(string Format, bool? IsMultiLineJson)
{
    public bool MultiLine => IsMultiLineJson == true;
}

/// <summary>Predecessor ids keep their <c>$</c> prefix, as the client sent them.</summary>
internal sealed record BatchReplay(IReadOnlyList<string> Predecessors, IReadOnlyList<string>? PredecessorsByExternalId, string? Reason);

/// <summary>An uploaded file: the name as the client gave it and where it lives under the batch folder.</summary>
internal sealed record BatchFile(string Name, string DiskPath, long SizeInBytes, long Uploaded);

/// <summary>
/// A large file in progress: its bytes go straight into <c>batches/&lt;id&gt;/large/&lt;DataFile&gt;</c> at their offsets;
/// <see cref="Ranges"/> lists every accepted PATCH as sent (inclusive ends, overlaps kept) so file COMPLETE can name
/// gaps and overlaps. <see cref="DeclaredSize"/> is the <c>/total</c> of the first Content-Range that carried one.
/// </summary>
internal sealed record LargeFileUpload(string Name, string DataFile, long Initialized, long? DeclaredSize, IReadOnlyList<ByteRange> Ranges);

/// <summary>An inclusive byte range, as in <c>Content-Range: bytes Start-End</c>.</summary>
internal sealed record ByteRange(long Start, long End)
{
    public long Length => End - Start + 1;
}

internal sealed record BatchErrorEntry(string Code, string Description, IReadOnlyList<string> Rows);

internal sealed record BatchMetrics(long InputFileCount, long InputByteSize, long InputRecordCount, long OutputRecordCount, long FailedRecordCount);

/// <summary>A Catalog dataset; persisted as <c>datasets/&lt;id&gt;.json</c>.</summary>
internal sealed record DatasetState
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required DatasetSchemaRef SchemaRef { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public JsonElement? FileDescription { get; init; }
    public required string ImsOrg { get; init; }
    public required long Created { get; init; }
    public required long Updated { get; init; }
    public required string CreatedClient { get; init; }
    public required string CreatedUser { get; init; }
    public string Version { get; init; } = "1.0.0";
}

internal sealed record DatasetSchemaRef(string Id, string ContentType);
