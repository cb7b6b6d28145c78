namespace Ingestion.Emulator.Storage;

/// <summary>Where each kind of state lives under the data directory.</summary>
internal sealed class DataLayout
{
    public DataLayout(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }
    public string DatasetsDirectory => Path.Combine(Root, "datasets");
    public string SchemasDirectory => Path.Combine(Root, "schemas");
    public string BatchesDirectory => Path.Combine(Root, "batches");
    public string LockFile => Path.Combine(Root, "emulator.lock.json");
    public string DefaultConfigFile => Path.Combine(Root, "emulator.config.json");

    public string DatasetFile(string datasetId) => Path.Combine(DatasetsDirectory, datasetId + ".json");
    public string SchemaFile(string key) => Path.Combine(SchemasDirectory, key + ".json");
    public string BatchDirectory(string batchId) => Path.Combine(BatchesDirectory, batchId);
    public string BatchStateFile(string batchId) => Path.Combine(BatchDirectory(batchId), "batch.json");
    public string BatchFilesDirectory(string batchId) => Path.Combine(BatchDirectory(batchId), "files");

    /// <summary>Uploads land here first, on the same volume as their destination so the final move is a rename.</summary>
    public string BatchUploadDirectory(string batchId) => Path.Combine(BatchDirectory(batchId), "uploading");

    /// <summary>Turns a stored <see cref="State.BatchFile.DiskPath"/> (always '/'-separated) into a full path.</summary>
    public string UploadedFile(string batchId, string diskPath) =>
        Path.Combine([BatchFilesDirectory(batchId), .. diskPath.Split('/')]);

    public void EnsureCreated()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(DatasetsDirectory);
        Directory.CreateDirectory(SchemasDirectory);
        Directory.CreateDirectory(BatchesDirectory);
    }
}
