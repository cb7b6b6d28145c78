using System.Xml.Linq;

namespace Ingestion.PowerShell.Tests;

/// <summary>Every type a cmdlet outputs has a table view, selected by its full type name.</summary>
public sealed class FormatViewTests
{
    private static readonly XDocument Format = XDocument.Load(Repository.FormatFile);

    private static IEnumerable<XElement> ViewsOf(string typeName) =>
        Format.Descendants("View").Where(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == typeName);

    private static IEnumerable<string> ViewTypes =>
        Format.Descendants("View").Select(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value);

    public static TheoryData<string> OutputTypes() => [.. OutputTypeNames()];

    private static List<string> OutputTypeNames()
    {
        var types = ModuleMetadata.Instance.Cmdlets
            .SelectMany(c => c.Attributes("OutputTypeAttribute"))
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<System.Reflection.CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : [arg.Value])
            .Select(v => ((Type)v!).FullName!)
            // Rows of the user's own data (Import-IngestParquet) have no fixed shape, so no view.
            .Where(t => t != "System.Management.Automation.PSObject")
            .Distinct();
        return [.. types];
    }

    [Theory]
    [MemberData(nameof(OutputTypes))]
    public void OutputTypeHasATableView(string typeName)
    {
        var tables = ViewsOf(typeName).Where(v => v.Element("TableControl") is not null).ToList();
        Assert.True(tables.Count == 1, $"Expected one table view for {typeName} in Ingestion.format.ps1xml, found {tables.Count}.");
    }

    /// <summary>Lists of nested objects users commonly see (errors, problems, issues, columns) get a table too.</summary>
    public static TheoryData<string> NestedTypes()
    {
        var outputs = OutputTypeNames();
        var nested = outputs
            .Select(name => ModuleMetadata.Instance.CoreAssembly.GetType(name))
            .Where(t => t is not null)
            .SelectMany(t => t!.GetProperties())
            .Select(p => p.PropertyType)
            .Where(t => t.IsGenericType && t.GetGenericArguments().Length == 1)
            .Select(t => t.GetGenericArguments()[0])
            .Where(t => t.FullName!.StartsWith("Ingestion.", StringComparison.Ordinal) && !t.IsEnum)
            .Select(t => t.FullName!)
            .Except(outputs)
            .Distinct();
        return [.. nested];
    }

    [Theory]
    [MemberData(nameof(NestedTypes))]
    public void NestedTypeHasATableView(string typeName) =>
        Assert.Contains(ViewsOf(typeName), v => v.Element("TableControl") is not null);

    [Theory]
    [InlineData("Ingestion.Core.Sessions.IngestSession")]
    [InlineData("Ingestion.Core.EmulatorControl.EmulatorInstance")]
    [InlineData("Ingestion.Core.DataCloud.DataCloudJob")]
    public void WideTypeHasAListView(string typeName) =>
        Assert.Contains(ViewsOf(typeName), v => v.Element("ListControl") is not null);

    /// <summary>A report whose point is a list of issues shows them by default (the first view of a type is its default), one per line.</summary>
    [Fact]
    public void ValidationReportDefaultsToAListThatShowsEveryIssue()
    {
        var first = ViewsOf("Ingestion.Core.DataCloud.RecordValidationReport").First();
        var list = first.Element("ListControl");
        Assert.True(list is not null, "The first (default) view of RecordValidationReport should be a list.");
        var issues = list.Descendants("ListItem").Single(i => i.Element("Label")?.Value == "Issues");
        Assert.Contains("$_.Issues", issues.Element("ScriptBlock")?.Value ?? string.Empty, StringComparison.Ordinal);

        // The table shows how many, not a truncated collection.
        var table = ViewsOf("Ingestion.Core.DataCloud.RecordValidationReport").Single(v => v.Element("TableControl") is not null);
        Assert.DoesNotContain(table.Descendants("PropertyName"), p => p.Value == "Issues");
    }

    /// <summary>Error messages are sentences: their tables wrap instead of cutting them at the console width.</summary>
    [Theory]
    [InlineData("Ingestion.Core.Models.BatchRowError")]
    [InlineData("Ingestion.Core.Models.BatchError")]
    public void ErrorTablesWrap(string typeName)
    {
        var table = ViewsOf(typeName).Single(v => v.Element("TableControl") is not null);
        Assert.All(table.Descendants("TableRowEntry"), entry => Assert.NotNull(entry.Element("Wrap")));
    }

    /// <summary>A column shows a property of the type it is for: a renamed property must not leave a blank column.</summary>
    [Fact]
    public void EveryViewPropertyExists()
    {
        foreach (var view in Format.Descendants("View"))
        {
            var type = ModuleMetadata.Instance.CoreAssembly.GetType(view.Element("ViewSelectedBy")!.Element("TypeName")!.Value)!;
            var names = type.GetProperties().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var property in view.Descendants("PropertyName"))
            {
                Assert.True(names.Contains(property.Value), $"{type.FullName} has no property {property.Value}.");
            }

            foreach (var script in view.Descendants("ScriptBlock"))
            {
                foreach (System.Text.RegularExpressions.Match used in System.Text.RegularExpressions.Regex.Matches(script.Value, @"\$_\.(\w+)"))
                {
                    Assert.True(names.Contains(used.Groups[1].Value), $"{type.FullName} has no property {used.Groups[1].Value} (used in a script block).");
                }
            }
        }
    }

    /// <summary>Sizes and durations read the same in every view, in progress bars and in messages: one rule, in Units.</summary>
    [Fact]
    public void SizesAndDurationsUseTheSharedRule()
    {
        var units = ModuleMetadata.Instance.CmdletAssembly.GetType("Ingestion.PowerShell.Runtime.Units");
        Assert.NotNull(units);
        Assert.True(units.IsPublic, "The views call [Ingestion.PowerShell.Runtime.Units], so it must be public.");
        Assert.NotNull(units.GetMethod("Bytes"));
        Assert.NotNull(units.GetMethod("Duration"));
        var checkedColumns = 0;
        foreach (var table in Format.Descendants("TableControl"))
        {
            var labels = table.Descendants("TableColumnHeader").Select(h => h.Element("Label")?.Value).ToList();
            var items = table.Descendants("TableColumnItem").ToList();
            for (var i = 0; i < labels.Count; i++)
            {
                var rule = labels[i] switch
                {
                    "Size" or "Uncompressed" => "[Ingestion.PowerShell.Runtime.Units]::Bytes(",
                    "Duration" => "[Ingestion.PowerShell.Runtime.Units]::Duration(",
                    _ => null,
                };
                if (rule is not null)
                {
                    Assert.Contains(rule, items[i].Element("ScriptBlock")?.Value ?? string.Empty, StringComparison.Ordinal);
                    checkedColumns++;
                }
            }
        }

        Assert.True(checkedColumns >= 8, $"Only {checkedColumns} size and duration columns found.");
    }

    [Fact]
    public void ViewsAreSmallAndConsistent()
    {
        foreach (var table in Format.Descendants("TableControl"))
        {
            var headers = table.Descendants("TableColumnHeader").Count();
            var items = table.Descendants("TableColumnItem").Count();
            Assert.InRange(headers, 2, 6);
            Assert.Equal(headers, items);
        }
    }

    [Fact]
    public void EveryViewNamesATypeOfTheModule()
    {
        foreach (var type in ViewTypes)
        {
            Assert.NotNull(ModuleMetadata.Instance.CoreAssembly.GetType(type));
        }
    }
}
