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
    public string CampaignDirectory => Path.Combine(Root, "campaign");

    /// <summary>The Data Cloud org: the connected app's key, bulk jobs (<c>jobs/</c>) and stored records (<c>records/</c>).</summary>
    public string DataCloudDirectory => Path.Combine(Root, "datacloud");

    /// <summary>Campaign ingestion requests and the last request id handed out.</summary>
    public string CampaignRequestsFile => Path.Combine(CampaignDirectory, "requests.json");
    public string LockFile => Path.Combine(Root, Shared.EmulatorFiles.LockFileName);
    public string DefaultConfigFile => Path.Combine(Root, "emulator.config.json");

    public string DatasetFile(string datasetId) => Path.Combine(DatasetsDirectory, datasetId + ".json");
    public string SchemaFile(string key) => Path.Combine(SchemasDirectory, key + ".json");
    public string BatchDirectory(string batchId) => Path.Combine(BatchesDirectory, batchId);
    public string BatchStateFile(string batchId) => Path.Combine(BatchDirectory(batchId), "batch.json");
    public string BatchFilesDirectory(string batchId) => Path.Combine(BatchDirectory(batchId), "files");

    /// <summary>Uploads land here first, on the same volume as their destination so the final move is a rename.</summary>
    public string BatchUploadDirectory(string batchId) => Path.Combine(BatchDirectory(batchId), "uploading");

    /// <summary>
    /// Large files being uploaded in chunks. Unlike <see cref="BatchUploadDirectory"/> this survives a restart: the
    /// received ranges are in batch.json, and a client resumes with HEAD and more PATCHes.
    /// </summary>
    public string BatchLargeUploadDirectory(string batchId) => Path.Combine(BatchDirectory(batchId), "large");

    public string LargeUploadFile(string batchId, string dataFile) => Path.Combine(BatchLargeUploadDirectory(batchId), dataFile);

    /// <summary>Error diagnostics of a processed batch (Data Access <c>meta</c>); only batches created with diagnostics have them.</summary>
    public string BatchDiagnosticsDirectory(string batchId) => Path.Combine(BatchDirectory(batchId), "diagnostics");

    /// <summary>Where processing writes diagnostics; renamed to <see cref="BatchDiagnosticsDirectory"/> once the batch is final.</summary>
    public string BatchDiagnosticsWorkDirectory(string batchId) => Path.Combine(BatchDirectory(batchId), "diagnostics.work");

    /// <summary>The row-error files (<c>meta?path=row_errors</c>).</summary>
    public string BatchRowErrorsDirectory(string batchId) => Path.Combine(BatchDiagnosticsDirectory(batchId), "row_errors");

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
