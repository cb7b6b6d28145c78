namespace Ingestion.PowerShell.Tests;

/// <summary>Identity parameters complete from the session's history, through IArgumentCompleter classes.</summary>
public sealed class CompletionTests
{
    private static readonly Dictionary<string, string> Completers = new(StringComparer.Ordinal)
    {
        ["DatasetId"] = "Ingestion.PowerShell.Completion.DatasetIdCompleter",
        ["BatchId"] = "Ingestion.PowerShell.Completion.BatchIdCompleter",
        ["MappingId"] = "Ingestion.PowerShell.Completion.MappingIdCompleter",
        ["RequestId"] = "Ingestion.PowerShell.Completion.RequestIdCompleter",
        ["Object"] = "Ingestion.PowerShell.Completion.DataCloudObjectCompleter",
        ["SourceName"] = "Ingestion.PowerShell.Completion.DataCloudSourceCompleter",
    };

    public static TheoryData<string, string> CompletedParameters()
    {
        var rows = new TheoryData<string, string>();
        foreach (var cmdlet in ModuleMetadata.Instance.Cmdlets)
        {
            foreach (var name in cmdlet.Parameters().Select(p => p.Name).Distinct().Where(Completers.ContainsKey))
            {
                rows.Add(cmdlet.Name, name);
            }
        }

        return rows;
    }

    [Fact]
    public void RequestIdsComeFromTheHistoryFilteredByTheMappingOnTheLine()
    {
        var history = new Ingestion.Core.Sessions.SessionHistory();
        history.Record(new Ingestion.Core.Models.XdmIngestRequest { MappingId = "m1", RequestId = 5, Status = Ingestion.Core.Models.XdmIngestStatus.Success });
        history.Record(new Ingestion.Core.Models.XdmIngestRequest { MappingId = "m2", RequestId = 6, Status = Ingestion.Core.Models.XdmIngestStatus.InProgress });
        history.Record(new Ingestion.Core.Models.XdmIngestRequest { MappingId = "m1", Status = Ingestion.Core.Models.XdmIngestStatus.Failed });
        var requests = history.Recent(Ingestion.Core.Sessions.HistoryKind.MappingRequest);

        Assert.Equal(["6", "5"], Completion.RequestIdCompleter.Candidates(requests, null).Select(e => e.Id));
        var m1 = Assert.Single(Completion.RequestIdCompleter.Candidates(requests, "m1"));
        Assert.Equal("5", m1.Id);
        Assert.Contains("m1", m1.Description);
        Assert.Empty(Completion.RequestIdCompleter.Candidates(requests, "m3"));
    }

    [Fact]
    public void EveryKindOfIdentifierIsCompletedSomewhere()
    {
        var completed = CompletedParameters().Select(row => (string)row[1]).ToHashSet();
        Assert.Equal(Completers.Keys.Order(), completed.Order());
    }

    [Theory]
    [MemberData(nameof(CompletedParameters))]
    public void ParameterCarriesItsCompleter(string cmdletName, string parameterName)
    {
        var property = ModuleMetadata.Instance.Cmdlet(cmdletName).Parameters().First(p => p.Name == parameterName).Property;
        var completer = property.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == $"{ModuleMetadata.SmaNamespace}.ArgumentCompleterAttribute")
            .Select(a => a.ConstructorArguments.Single().Value as Type)
            .SingleOrDefault();
        Assert.True(completer is not null, $"{cmdletName} -{parameterName} has no [ArgumentCompleter].");
        Assert.Equal(Completers[parameterName], completer.FullName);
    }

    [Theory]
    [MemberData(nameof(CompleterTypes))]
    public void CompleterIsAPublicSealedIArgumentCompleter(string typeName)
    {
        var type = ModuleMetadata.Instance.CmdletAssembly.GetType(typeName);
        Assert.NotNull(type);
        Assert.True(type.IsPublic && type.IsSealed && !type.IsAbstract, $"{typeName} must be public and sealed.");
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
        Assert.Contains(type.GetInterfaces(), i => i.FullName == $"{ModuleMetadata.SmaNamespace}.IArgumentCompleter");
    }

    public static TheoryData<string> CompleterTypes() => [.. Completers.Values];
}
