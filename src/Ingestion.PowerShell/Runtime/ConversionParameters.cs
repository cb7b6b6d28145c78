using System.Collections;
using System.Management.Automation;
using Ingestion.Core.Conversion;
using Ingestion.Core.Models;
using Ingestion.PowerShell.Errors;

namespace Ingestion.PowerShell.Runtime;

/// <summary>The schema a conversion or check uses, from -Schema or a dataset, fetched once per dataset and command.</summary>
internal sealed class DatasetSchemas
{
    private readonly Dictionary<string, (DataSchema Schema, XdmSchema Xdm)> cache = new(StringComparer.Ordinal);

    /// <summary>The dataset's XDM schema (Catalog, then the Schema Registry); false after writing the error.</summary>
    public bool TryGet(IngestSessionCmdlet cmdlet, string datasetId, out DataSchema schema, out XdmSchema xdm, bool endsCommand)
    {
        if (cache.TryGetValue(datasetId, out var cached))
        {
            (schema, xdm) = cached;
            return true;
        }

        var session = cmdlet.RequireAepSession();
        if (!cmdlet.TryRun(token => session.Schemas.GetDatasetSchemaAsync(datasetId, token), datasetId, out var fetched, _ => endsCommand))
        {
            schema = null!;
            xdm = null!;
            return false;
        }

        var warnings = new List<string>();
        try
        {
            schema = XdmSchemaReader.Read(fetched, warnings);
        }
        catch (Core.Errors.IngestionException ex)
        {
            cmdlet.WriteFailure(ex, datasetId, endsCommand);
            schema = null!;
            xdm = null!;
            return false;
        }

        foreach (var warning in warnings)
        {
            cmdlet.WriteVerbose(warning);
        }

        cmdlet.WriteVerbose(string.Format(Messages.UsingDatasetSchema, datasetId, fetched));
        xdm = fetched;
        cache[datasetId] = (schema, xdm);
        return true;
    }

    public static string Describe(string datasetId, XdmSchema xdm) => string.Format(Messages.SchemaOfDataset, datasetId, xdm);
}

/// <summary>-Mapping as the engine takes it: source name to field path, null or empty to leave a column out.</summary>
internal static class MappingParameter
{
    public static IReadOnlyDictionary<string, string?>? Read(Hashtable? mapping)
    {
        if (mapping is null)
        {
            return null;
        }

        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in mapping)
        {
            var key = LanguagePrimitives.ConvertTo<string>(entry.Key);
            result[key] = entry.Value is null ? null : LanguagePrimitives.ConvertTo<string>(entry.Value);
        }

        return result;
    }

    public static void ThrowIfBothSchemas(PSCmdlet cmdlet, string? schemaPath, string? datasetId)
    {
        if (schemaPath is not null && datasetId is not null)
        {
            cmdlet.ThrowTerminatingError(ErrorMapper.Create(ErrorIds.SchemaConflict, ErrorCategory.InvalidArgument, Messages.SchemaConflict, schemaPath));
        }
    }
}
