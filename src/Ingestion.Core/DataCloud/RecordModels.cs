namespace Ingestion.Core.DataCloud;

/// <summary>One request body built by <see cref="RecordPacker"/>: <c>{"data":[...]}</c> with records <see cref="FirstIndex"/> to <see cref="LastIndex"/> of the input.</summary>
public sealed class PackedBody
{
    internal PackedBody(byte[] content, int firstIndex, int count)
    {
        Content = content;
        FirstIndex = firstIndex;
        Count = count;
    }

    /// <summary>The UTF-8 JSON body, envelope included; always shorter than <see cref="RecordPacker.MaxBodyBytes"/>.</summary>
    public byte[] Content { get; }

    /// <summary>The input index (0-based) of the first record in the body.</summary>
    public int FirstIndex { get; }

    public int Count { get; }

    /// <summary>The input index of the last record; records refused as too large are skipped, so this may exceed FirstIndex + Count - 1.</summary>
    public int LastIndex { get; internal set; }

    public override string ToString() => $"records {FirstIndex}-{LastIndex}";
}

/// <summary>How far a streaming send is, reported as data.</summary>
public readonly record struct RecordSendProgress(long Records, long Requests, long Bytes);

/// <summary>Records that were not accepted: one request (a range of records) or one record too large to send.</summary>
public sealed class RecordSendFailure
{
    public int FirstIndex { get; init; }
    public int LastIndex { get; init; }
    public int Records { get; init; }
    public required Exception Error { get; init; }

    public override string ToString() => FirstIndex == LastIndex ? $"record {FirstIndex}: {Error.Message}" : $"records {FirstIndex}-{LastIndex}: {Error.Message}";
}

/// <summary>What a streaming send did: records and bytes accepted (202) by the service, requests made, and what failed.</summary>
public sealed class RecordSendSummary
{
    public required string Object { get; init; }
    public required string SourceName { get; init; }

    /// <summary>Records the service accepted (202). Processing is asynchronous: accepted is not yet visible.</summary>
    public long Records { get; init; }

    /// <summary>Requests the service accepted.</summary>
    public long Requests { get; init; }

    /// <summary>Body bytes of the accepted requests, envelopes included.</summary>
    public long Bytes { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Records not accepted: refused as too large, or in a request that failed.</summary>
    public long FailedRecords { get; init; }

    public IReadOnlyList<RecordSendFailure> Failures { get; init; } = [];

    public override string ToString() => $"{SourceName}/{Object}: {Records} records in {Requests} requests";
}

/// <summary>One problem the service's validation (<c>/actions/test</c>) found.</summary>
public sealed class RecordValidationIssue
{
    /// <summary>The input index (0-based) of the record; null when the problem is about the whole request.</summary>
    public int? Index { get; init; }
    public string? Field { get; init; }
    public required string Message { get; init; }

    public override string ToString() => Index is null ? Message : Field is null ? $"record {Index}: {Message}" : $"record {Index}, field '{Field}': {Message}";
}

/// <summary>The service's validation report for records sent to <c>/actions/test</c> (nothing is stored).</summary>
public sealed class RecordValidationReport
{
    public required string Object { get; init; }
    public required string SourceName { get; init; }

    /// <summary>Records checked.</summary>
    public long Records { get; init; }

    public bool IsValid => Issues.Count == 0;

    public IReadOnlyList<RecordValidationIssue> Issues { get; init; } = [];

    public override string ToString() => IsValid ? $"{SourceName}/{Object}: {Records} records valid" : $"{SourceName}/{Object}: {Issues.Count} issues in {Records} records";
}

/// <summary>What a streaming delete did.</summary>
public sealed class RecordDeleteSummary
{
    public required string Object { get; init; }
    public required string SourceName { get; init; }

    /// <summary>Ids whose deletion the service accepted (202); processing is asynchronous.</summary>
    public long Ids { get; init; }

    public long Requests { get; init; }

    public TimeSpan Duration { get; init; }

    public override string ToString() => $"{SourceName}/{Object}: {Ids} ids in {Requests} requests";
}
