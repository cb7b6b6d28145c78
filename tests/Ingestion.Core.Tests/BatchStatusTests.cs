using Ingestion.Core.Models;

namespace Ingestion.Core.Tests;

public class BatchStatusTests
{
    public static TheoryData<string, BatchStatus> CatalogValues => new()
    {
        { "loading", BatchStatus.Loading },
        { "loaded", BatchStatus.Loaded },
        { "queued", BatchStatus.Queued },
        { "processing", BatchStatus.Processing },
        { "staging", BatchStatus.Staging },
        { "staged", BatchStatus.Staged },
        { "retrying", BatchStatus.Retrying },
        { "stalled", BatchStatus.Stalled },
        { "active", BatchStatus.Active },
        { "success", BatchStatus.Success },
        { "failed", BatchStatus.Failed },
        { "failure", BatchStatus.Failure },
        { "aborted", BatchStatus.Aborted },
        { "abandoned", BatchStatus.Abandoned },
        { "inactive", BatchStatus.Inactive },
        { "deleted", BatchStatus.Deleted },
    };

    [Theory]
    [MemberData(nameof(CatalogValues))]
    public void ParseCatalogValue_reads_every_catalog_value(string value, BatchStatus expected)
    {
        Assert.Equal(expected, BatchStatusExtensions.ParseCatalogValue(value));
        Assert.Equal(expected, BatchStatusExtensions.ParseCatalogValue(value.ToUpperInvariant()));
        Assert.Equal(expected, BatchStatusExtensions.ParseCatalogValue(char.ToUpperInvariant(value[0]) + value[1..]));
        Assert.Equal(value, expected.ToCatalogValue());
    }

    [Fact]
    public void The_enum_has_the_sixteen_catalog_values_and_unknown()
    {
        Assert.Equal(17, Enum.GetValues<BatchStatus>().Length);
        Assert.Equal(16, CatalogValues.Count());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("exploded")]
    [InlineData("activ")]
    [InlineData("in progress")]
    [InlineData(" active")]
    [InlineData("0")]
    [InlineData("9")]
    [InlineData("11")]
    [InlineData("-1")]
    [InlineData("+9")]
    [InlineData("loading,loaded")]
    [InlineData("active, failed")]
    public void ParseCatalogValue_maps_anything_else_to_Unknown(string? value)
    {
        Assert.Equal(BatchStatus.Unknown, BatchStatusExtensions.ParseCatalogValue(value));
    }

    [Theory]
    [InlineData(BatchStatus.Unknown, false)]
    [InlineData(BatchStatus.Loading, false)]
    [InlineData(BatchStatus.Loaded, false)]
    [InlineData(BatchStatus.Queued, false)]
    [InlineData(BatchStatus.Processing, false)]
    [InlineData(BatchStatus.Staging, false)]
    [InlineData(BatchStatus.Staged, false)]
    [InlineData(BatchStatus.Retrying, false)]
    [InlineData(BatchStatus.Stalled, true)]
    [InlineData(BatchStatus.Active, true)]
    [InlineData(BatchStatus.Success, true)]
    [InlineData(BatchStatus.Failed, true)]
    [InlineData(BatchStatus.Failure, true)]
    [InlineData(BatchStatus.Aborted, true)]
    [InlineData(BatchStatus.Abandoned, true)]
    [InlineData(BatchStatus.Inactive, true)]
    [InlineData(BatchStatus.Deleted, true)]
    public void IsTerminal_table(BatchStatus status, bool terminal)
    {
        Assert.Equal(terminal, status.IsTerminal());
        Assert.Equal(terminal, new IngestStatus { Id = "b", Status = status }.IsTerminal);
    }

    [Theory]
    [InlineData(BatchStatus.Active, true, false)]
    [InlineData(BatchStatus.Success, true, false)]
    [InlineData(BatchStatus.Failed, false, true)]
    [InlineData(BatchStatus.Failure, false, true)]
    [InlineData(BatchStatus.Aborted, false, false)]
    [InlineData(BatchStatus.Inactive, false, false)]
    [InlineData(BatchStatus.Loading, false, false)]
    public void Success_and_failure_synonyms(BatchStatus status, bool success, bool failure)
    {
        Assert.Equal(success, status.IsSuccess());
        Assert.Equal(failure, status.IsFailure());
    }
}
