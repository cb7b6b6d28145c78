namespace Ingestion.Core.Models;

/// <summary>Progress of one file transfer, reported as data so the caller decides how to show it.</summary>
public readonly record struct TransferProgress(string Path, long BytesSent, long TotalBytes);
