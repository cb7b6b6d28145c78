using System.Xml.Linq;

namespace Ingestion.PowerShell.Tests;

/// <summary>Every type a cmdlet outputs has a table view, selected by its full type name.</summary>
public sealed class FormatViewTests
{
    private static readonly XDocument Format = XDocument.Load(Repository.FormatFile);

    private static IEnumerable<string> ViewTypes =>
        Format.Descendants("View").Select(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value);

    public static TheoryData<string> OutputTypes()
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
        var view = Format.Descendants("View").SingleOrDefault(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == typeName);
        Assert.True(view is not null, $"No view for {typeName} in Ingestion.format.ps1xml.");
        Assert.NotNull(view.Element("TableControl"));
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
