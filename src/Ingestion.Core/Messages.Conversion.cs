namespace Ingestion.Core;

/// <summary>The texts of the conversion layer: schemas, mapping, CSV/JSON/object conversion and file checks.</summary>
internal static partial class Messages
{
    // Where a value problem is: prefixes of the messages below.
    public const string WhereCsv = "CSV file '{0}', row {1} (line {2}), column '{3}': ";
    public const string WhereRecord = "'{0}', record {1}, field '{2}': ";
    public const string WhereRecordLine = "'{0}', record {1} (line {2}), field '{3}': ";

    // Values that do not fit.
    public const string CsvValueNotInferred = "'{0}' is not {1}, the type inferred for '{2}' from the first rows.";
    public const string CsvValueNotSchema = "field '{0}' expects {1} but got '{2}'.";
    public const string CsvValueRequired = "field '{0}' is required (not nullable) but the value is empty.";
    public const string ValueNotInferredType = "expects {0} (inferred from the first records) but got {1}.";
    public const string ValueNotSchemaType = "expects {0} but got {1}.";
    public const string ValueOutOfRange = "expects a {0} from {1} to {2} but got {3}.";
    public const string ValueRequiredMissing = "is required (not nullable) but is missing or null.";
    public const string ValueStringHint = " AEP does not convert other types to strings; -AllowStringFallback writes such values as text.";
    public const string ValueTooDeep = "nests deeper than {0} levels.";
    public const string RowRefused = "'{0}', record {1}: the Parquet writer refused the row: {2}";
    public const string ExpectBoolean = "a boolean (true or false)";
    public const string ExpectInteger = "an integer";
    public const string ExpectIntegerRange = "an integer from {1} to {2} ({0})";
    public const string ExpectNumber = "a number";
    public const string ExpectDate = "a date (yyyy-MM-dd)";
    public const string ExpectTimestamp = "a date-time (ISO 8601 with a zone, such as 2024-05-31T12:00:00Z)";

    // Inference.
    public const string InferenceConflict = "it holds {0} from record {1} on, then {2}; a field needs one type.";
    public const string AdviceConflict = " Give the field one type, add -AllowStringFallback to write such fields as text, or give the types with -Schema.";
    public const string AdviceInferred = " The schema was inferred from the first {0} records: raise -SampleSize (0 reads the whole file), add -AllowStringFallback to read the whole file again and write conflicting fields as text, or give the types with -Schema.";
    public const string AdviceObjects = " The schema was inferred from the first {0} objects: raise -SampleSize above the number of objects, or give the types with -Schema.";
    public const string RestartedWithWholeFile = "The schema inferred from the first records did not fit every row ({0}); the whole file was read again to infer it.";
    public const string SchemaSourceGiven = "the given schema";
    public const string SchemaSourceInferredAll = "inferred from all {0} records";
    public const string SchemaSourceInferredSample = "inferred from the first {0} records";
    public const string NoRecords = "'{0}' holds no records to convert.";
    public const string NothingToWrite = "'{0}': no column or field is left to write.";
    public const string PhaseInferring = "Inferring the schema";
    public const string PhaseWriting = "Writing Parquet";

    // CSV columns.
    public const string CsvNoHeader = "CSV file '{0}' is empty: its first row must name the columns.";
    public const string CsvDuplicateHeader = "CSV file '{0}': the header names column '{1}' more than once.";
    public const string CsvEmptyHeaderName = "Header column {0} has no name; it is called '{1}'.";
    public const string CsvFieldCount = "CSV file '{0}', row {1} (line {2}): the row has {3} values but the header has {4} columns.";
    public const string CsvPathClash = "CSV file '{0}': column '{1}' goes to '{2}', which clashes with another column (a field cannot be both a value and an object of fields).";
    public const string CsvNoColumnMatched = "CSV file '{0}': no column matches a field of the schema (columns: {1}). Map them to fields with -Mapping.";
    public const string CsvColumnUnmatched = "Column '{0}' matches no field of the schema and was left out; map it with -Mapping @{{ '{0}' = '<field path>' }}.";
    public const string CsvColumnTaken = "Column '{0}' matches field '{1}', which column '{2}' already fills; it was left out (map it elsewhere with -Mapping).";
    public const string CsvColumnAmbiguous = "Column '{0}' matches several fields ({1}) and was left out; choose one with -Mapping @{{ '{0}' = '<field path>' }}.";
    public const string RequiredFieldWithoutColumn = "Field '{0}' is required (not nullable), but no column of '{1}' fills it; map one to it with -Mapping.";

    // Record fields no schema field takes.
    public const string FieldUnmatched = "Field '{0}' ({1} record(s), first in record {2}) was left out: {3}.";
    public const string UnmatchedNoField = "no field of the schema has this name; map it with -Mapping";
    public const string UnmatchedNewField = "the records used to infer the schema did not have it; raise -SampleSize, or add -AllowStringFallback to read the whole file for the schema";
    public const string UnmatchedTaken = "field '{0}' is already filled by another key";
    public const string UnmatchedAmbiguous = "it matches several fields ({0}); choose one with -Mapping";

    // Mapping.
    public const string MappingSourceMissing = "-Mapping names column '{0}', which '{1}' does not have (its columns: {2}).";
    public const string MappingSourceNeverSeen = "-Mapping names '{0}', which no record had.";
    public const string MappingTargetUnknown = "-Mapping sends '{0}' to '{1}', which is not a field of the schema.{2}";
    public const string MappingTargetNotLeaf = "-Mapping sends column '{0}' to '{1}', which is of type {2}; a column fills a single value, so map it to one of its fields.";
    public const string MappingTargetInvalid = "-Mapping sends '{0}' to '{1}', which is not a field path (names separated by single dots).";
    public const string MappingDuplicateTarget = "-Mapping sends two sources to '{0}'; a field takes one.";
    public const string DidYouMean = " Did you mean '{0}'?";

    // Schema files.
    public const string SchemaFileUnreadable = "Schema file '{0}' could not be read: {1}";
    public const string SchemaFileNotJson = "Schema file '{0}' is not valid JSON: {1}";
    public const string SchemaFileNoFields = "Schema file '{0}' must be an object with a \"fields\" array (or an array of fields) holding at least one field.";
    public const string SchemaFileFieldsNotArray = "Schema file '{0}': \"fields\" of {1} must be an array of fields.";
    public const string SchemaFileFieldWithoutName = "Schema file '{0}': field {1} of {2} has no \"name\".";
    public const string SchemaFileFieldNotObject = "Schema file '{0}': field '{1}' must be a JSON object with a name and a type.";
    public const string SchemaFileDuplicateField = "Schema file '{0}': field '{1}' is defined twice.";
    public const string SchemaFileUnknownKey = "Schema file '{0}': field '{1}' has an unknown key \"{2}\"; a field has name, type, nullable, fields, element, value and description.";
    public const string SchemaFileUnknownType = "Schema file '{0}': field '{1}' has type '{2}'; use one of {3}.";
    public const string SchemaFileNullableNotBoolean = "Schema file '{0}': \"nullable\" of field '{1}' must be true or false.";
    public const string SchemaFileStructWithoutFields = "Schema file '{0}': struct '{1}' needs a non-empty \"fields\" array.";
    public const string SchemaFileMissingInner = "Schema file '{0}': field '{1}' needs \"{2}\", an object giving the type of its {2}s.";

    // XDM schemas.
    public const string XdmFieldSkipped = "XDM field '{0}' is left out of the Parquet schema: {1}.";
    public const string XdmReferenceUnresolved = "XDM field '{0}' refers to '{1}', which the schema does not resolve; its fields are left out (the Schema Registry's full form, application/vnd.adobe.xed-full+json, resolves references).";
    public const string XdmSchemaTooDeep = "Schema '{0}': field '{1}' nests deeper than {2} levels.";
    public const string XdmSchemaWithoutFields = "Schema '{0}' defines no field that can be written.";

    // Files.
    public const string FormatUnknown = "Cannot tell whether '{0}' is CSV or JSON from its extension; give -InputFormat Csv or Json.";
    public const string EncodingUnknown = "'{0}' is not an encoding this system knows; use a name such as utf-8, utf-16, windows-1252 or iso-8859-1.";
    public const string DestinationExists = "'{0}' already exists; use -Force to replace it.";
    public const string DestinationIsDirectory = "'{0}' is a folder; give a file name for the Parquet file.";
    public const string DestinationFolderMissing = "The folder '{0}' of destination '{1}' does not exist.";
    public const string DestinationIsSource = "The destination is the source file '{0}'; give another name for the Parquet file.";
    public const string ParquetUnreadable = "'{0}' is not a readable Parquet file: {1}";

    // File checks (Test-IngestFile): each follows the field name.
    public const string CheckFormatUnknown = "Cannot tell the format of '{0}' from its extension; give it with -Format (Csv, Json or Parquet).";
    public const string CheckEmptyFile = "The file holds no records; AEP fails a batch with an empty file.";
    public const string CheckStoppedReading = "{0} The rest of the file was not checked.";
    public const string CheckUnknownField = "is not defined in the dataset's schema.";
    public const string CheckWrongShape = "expects {0} but got {1}.";
    public const string CheckBooleanNoConvert = "expects {0} but got a boolean; AEP does not convert booleans.";
    public const string CheckNumberNoConvert = "expects {0} but got a number; AEP does not convert numbers to that type.";
    public const string CheckDateNoConvert = "expects {0} but got a date; AEP does not convert dates to that type.";
    public const string CheckFraction = "expects a whole number ({0}) but got {1}.";
    public const string CheckOutOfRange = "expects a {0} from {1} to {2} but got {3}.";
    public const string CheckEnum = "does not allow \"{0}\"; allowed values are {1}.";
    public const string CheckStringToBoolean = "expects a boolean but got the string \"{0}\"; AEP does not convert strings to booleans.";
    public const string CheckStringNotNumber = "expects a number ({0}) but got \"{1}\", which is not a number.";
    public const string CheckStringFraction = "expects a whole number ({0}) but got \"{1}\", which has a fraction.";
    public const string CheckStringNotDate = "expects a {0} in ISO 8601 form (2024-05-31 or 2024-05-31T12:00:00Z) but got \"{1}\".";
    public const string CheckCsvNoHeader = "The CSV file has no header row; AEP reads the first row as the column names.";
    public const string CheckCsvDuplicateColumn = "is named more than once in the header.";
    public const string CheckCsvUnknownColumn = "header column {0} is not a field of the dataset's schema; CSV header names must match schema fields exactly (ConvertTo-IngestParquet -DatasetId matches columns by name and by -Mapping).";
    public const string CheckCsvContainerColumn = "names a field of type {0}; a CSV column fills a single value (use dotted names such as person.name.firstName for nested fields).";
    public const string CheckCsvFieldCount = "the row has {0} values but the header has {1} columns (line {2}).";
    public const string CheckJsonArray = "The file is a JSON array; AEP reads it only in a batch created with multi-line JSON (New-IngestBatch -MultiLineJson). Check it with -MultiLineJson, or convert it to JSON Lines or Parquet.";
    public const string CheckJsonPretty = "The first record continues on the next lines (pretty-printed JSON), but a JSON batch without multi-line JSON reads one object per line. Create the batch with -MultiLineJson, or write one object per line.";
    public const string CheckParquetShape = "is {0} in the file but of type {1} in the schema.";
    public const string CheckParquetType = "is a {0} column, which AEP does not convert to {1}.";
}
