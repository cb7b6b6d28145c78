using System.Globalization;
using System.Reflection;
using Ingestion.Core.Errors;
using Ingestion.Parquet;

namespace Ingestion.Core.Conversion;

/// <summary>
/// A value that does not fit its field while writing. With an inferred schema it may only mean the sample was too
/// small, which a conversion of a file can recover from by inferring over the whole file; otherwise it is the
/// row-and-field error the user sees.
/// </summary>
internal sealed class ValueMismatch(string message, bool againstInferredSchema) : Exception(message)
{
    public bool AgainstInferredSchema { get; } = againstInferredSchema;
}

/// <summary>
/// The file a conversion writes: a hidden temporary file next to the destination, renamed over it only when
/// everything was written, so a failure or a cancellation leaves nothing half-written behind.
/// </summary>
internal sealed class ParquetOutput : IDisposable
{
    private static readonly string CreatedBy = "Ingestion version " + (typeof(ParquetOutput).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");

    private readonly string destination;
    private readonly bool overwrite;
    private FileStream? stream;
    private bool committed;

    private ParquetOutput(string destination, bool overwrite, string temporary)
    {
        this.destination = destination;
        this.overwrite = overwrite;
        TemporaryPath = temporary;
    }

    public string TemporaryPath { get; }

    private ParquetWriter? writer;

    public ParquetWriter Writer => writer!;

    public static void CheckDestination(string destination, bool overwrite)
    {
        if (!overwrite && File.Exists(destination))
        {
            throw new IngestionException(IngestErrorKind.InvalidState, string.Format(Messages.DestinationExists, destination)) { Target = destination };
        }

        if (Directory.Exists(destination))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DestinationIsDirectory, destination)) { Target = destination };
        }
    }

    public static ParquetOutput Create(string destination, DataSchema schema, ConversionOptions options)
    {
        CheckDestination(destination, options.Overwrite);
        var directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        if (!Directory.Exists(directory))
        {
            throw new IngestionException(IngestErrorKind.NotFound, string.Format(Messages.DestinationFolderMissing, directory, destination)) { Target = destination };
        }

        var temporary = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp"));
        var output = new ParquetOutput(destination, options.Overwrite, temporary);
        try
        {
            output.stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            output.writer = new ParquetWriter(output.stream, schema.ToParquet(), new ParquetWriterOptions
            {
                Compression = options.Compression switch
                {
                    ParquetCompression.Gzip => CompressionCodec.Gzip,
                    ParquetCompression.None => CompressionCodec.Uncompressed,
                    _ => CompressionCodec.Snappy,
                },
                RowGroupSize = options.RowGroupSize,
                CreatedBy = CreatedBy,
            }, leaveOpen: true);
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>Writes the footer and moves the file into place; returns its size.</summary>
    public long Commit(CancellationToken cancellationToken)
    {
        Writer.Dispose();
        stream!.Flush(flushToDisk: false);
        var bytes = stream.Length;
        stream.Dispose();
        stream = null;
        cancellationToken.ThrowIfCancellationRequested();
        File.Move(TemporaryPath, destination, overwrite);
        committed = true;
        return bytes;
    }

    public void Dispose()
    {
        if (committed)
        {
            return;
        }

        try
        {
            // The writer would write a footer on dispose: drop it with the stream instead, once no row group is
            // still being written to the stream in the background.
            writer?.Abandon();
            stream?.Dispose();
        }
        catch (IOException)
        {
        }

        stream = null;
        try
        {
            File.Delete(TemporaryPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the name is hidden and unique, and says what it was.
        }
    }
}

/// <summary>Builds a schema tree from (dotted path, field) pairs, keeping the order in which paths first appear.</summary>
internal sealed class SchemaTreeBuilder
{
    private readonly Node root = new(string.Empty);

    /// <summary>Adds a leaf; false when the path clashes with one already added (the same path, or a leaf that would need to be a struct).</summary>
    public bool TryAdd(string path, DataField leaf)
    {
        var segments = path.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            segments = [path];
        }

        var node = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var child = node.Children.FirstOrDefault(c => c.Name == segments[i]);
            if (child is null)
            {
                child = new Node(segments[i]);
                node.Children.Add(child);
            }

            if (i == segments.Length - 1)
            {
                if (child.Leaf is not null || child.Children.Count > 0)
                {
                    return false;
                }

                child.Leaf = leaf.WithName(segments[i]);
            }
            else if (child.Leaf is not null)
            {
                return false;
            }

            node = child;
        }

        return true;
    }

    public DataSchema Build() => new(root.Children.Select(ToField));

    private static DataField ToField(Node node) => node.Leaf ?? DataField.Struct(node.Name, node.Children.Select(ToField));

    private sealed class Node(string name)
    {
        public string Name { get; } = name;
        public DataField? Leaf { get; set; }
        public List<Node> Children { get; } = [];
    }
}
