using System.Text.RegularExpressions;

namespace Ingestion.PowerShell.Tests;

/// <summary>The conventions every exported cmdlet follows, read from the compiled metadata.</summary>
public sealed class CmdletConventionTests
{
    // Get-Verb of PowerShell 7.6, copied so that a new verb is a decision, not an accident.
    private static readonly HashSet<string> ApprovedVerbs =
    [
        "Add", "Approve", "Assert", "Backup", "Block", "Build", "Checkpoint", "Clear", "Close", "Compare", "Complete", "Compress",
        "Confirm", "Connect", "Convert", "ConvertFrom", "ConvertTo", "Copy", "Debug", "Deny", "Deploy", "Disable", "Disconnect",
        "Dismount", "Edit", "Enable", "Enter", "Exit", "Expand", "Export", "Find", "Format", "Get", "Grant", "Group", "Hide",
        "Import", "Initialize", "Install", "Invoke", "Join", "Limit", "Lock", "Measure", "Merge", "Mount", "Move", "New", "Open",
        "Optimize", "Out", "Ping", "Pop", "Protect", "Publish", "Push", "Read", "Receive", "Redo", "Register", "Remove", "Rename",
        "Repair", "Request", "Reset", "Resize", "Resolve", "Restart", "Restore", "Resume", "Revoke", "Save", "Search", "Select",
        "Send", "Set", "Show", "Skip", "Split", "Start", "Step", "Stop", "Submit", "Suspend", "Switch", "Sync", "Test", "Trace",
        "Unblock", "Undo", "Uninstall", "Unlock", "Unprotect", "Unpublish", "Unregister", "Update", "Use", "Wait", "Watch", "Write",
    ];

    // Verbs whose cmdlets change something outside the session, so -WhatIf and -Confirm must work.
    private static readonly HashSet<string> StateChangingVerbs = ["New", "Send", "Complete", "Stop", "Remove", "Start", "Set", "Add"];

    public static TheoryData<string> CmdletNames() => [.. ModuleMetadata.Instance.Cmdlets.Select(c => c.Name)];

    [Fact]
    public void TheModuleHasTheDocumentedCmdlets()
    {
        Assert.Equal(
            [
                "Complete-IngestBatch", "Connect-IngestService", "ConvertTo-IngestParquet", "Disconnect-IngestService", "Get-IngestBatch", "Get-IngestDataset", "Get-IngestError",
                "Get-IngestParquetInfo", "Get-IngestStatus", "Get-IngestUpload", "Import-IngestParquet", "New-IngestBatch", "New-IngestDataset", "Remove-IngestBatch",
                "Remove-IngestRecord", "Remove-IngestUpload", "Send-IngestFile", "Send-IngestRecord", "Start-IngestEmulator", "Start-XdmMappingIngest", "Stop-IngestBatch", "Stop-IngestEmulator", "Test-IngestFile",
            ],
            ModuleMetadata.Instance.Cmdlets.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void IsSealedAndNamedVerbNounCommand(string name)
    {
        var cmdlet = ModuleMetadata.Instance.Cmdlet(name);
        Assert.True(cmdlet.Type.IsSealed, $"{cmdlet.Type.Name} must be sealed.");
        Assert.Equal($"{cmdlet.Verb}{cmdlet.Noun}Command", cmdlet.Type.Name);
        Assert.Equal("Ingestion.PowerShell.Commands", cmdlet.Type.Namespace);
        // Start-XdmMappingIngest is named by the issue after Campaign's own term (XDM mapping ingestion); the noun still says Ingest.
        if (cmdlet.Noun != "XdmMappingIngest")
        {
            Assert.StartsWith("Ingest", cmdlet.Noun, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void UsesAnApprovedVerb(string name) =>
        Assert.Contains(ModuleMetadata.Instance.Cmdlet(name).Verb, ApprovedVerbs);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void DeclaresItsOutputType(string name) =>
        Assert.NotEmpty(ModuleMetadata.Instance.Cmdlet(name).Attributes("OutputTypeAttribute"));

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void SupportsShouldProcessWhenItChangesState(string name)
    {
        var cmdlet = ModuleMetadata.Instance.Cmdlet(name);
        if (StateChangingVerbs.Contains(cmdlet.Verb))
        {
            Assert.True(cmdlet.Named<bool>("SupportsShouldProcess"), $"{name} changes state and must support -WhatIf/-Confirm.");
        }
    }

    [Theory]
    [InlineData("Stop-IngestBatch")]
    [InlineData("Remove-IngestBatch")]
    public void DestructiveBatchActionsHaveHighConfirmImpact(string name) =>
        // ConfirmImpact.High is 3 in System.Management.Automation.
        Assert.Equal(3, ModuleMetadata.Instance.Cmdlet(name).Named<int>("ConfirmImpact"));

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void IdentityParametersBindByPropertyName(string name)
    {
        foreach (var parameter in ModuleMetadata.Instance.Cmdlet(name).Parameters().Where(p => p.Name is "BatchId" or "DatasetId"))
        {
            Assert.True(parameter.Flag("ValueFromPipelineByPropertyName"), $"{name} -{parameter.Name} must bind by property name.");
        }
    }

    [Theory]
    [InlineData("Send-IngestFile", "BatchId")]
    [InlineData("Send-IngestFile", "DatasetId")]
    [InlineData("New-IngestBatch", "DatasetId")]
    [InlineData("Complete-IngestBatch", "BatchId")]
    [InlineData("Stop-IngestBatch", "BatchId")]
    [InlineData("Remove-IngestBatch", "BatchId")]
    [InlineData("Get-IngestStatus", "BatchId")]
    [InlineData("Get-IngestStatus", "MappingId")]
    [InlineData("Get-IngestStatus", "RequestId")]
    [InlineData("Start-XdmMappingIngest", "MappingId")]
    [InlineData("Get-IngestDataset", "DatasetId")]
    [InlineData("Get-IngestError", "BatchId")]
    [InlineData("ConvertTo-IngestParquet", "DatasetId")]
    [InlineData("Test-IngestFile", "DatasetId")]
    [InlineData("Get-IngestUpload", "BatchId")]
    [InlineData("Remove-IngestUpload", "BatchId")]
    [InlineData("Remove-IngestUpload", "DatasetId")]
    [InlineData("Remove-IngestUpload", "RemoteName")]
    public void BatchPipelineParametersExist(string name, string parameter) =>
        Assert.NotNull(ModuleMetadata.Instance.Cmdlet(name).Parameter(parameter));

    [Theory]
    [InlineData("ClientId")]
    [InlineData("ClientSecret")]
    [InlineData("OrganizationId")]
    [InlineData("Sandbox")]
    [InlineData("Endpoint")]
    public void ConnectBindsWhatTheEmulatorInstanceCarries(string parameter)
    {
        var bound = ModuleMetadata.Instance.Cmdlet("Connect-IngestService").Parameter(parameter);
        Assert.NotNull(bound);
        Assert.True(bound.Flag("ValueFromPipelineByPropertyName"));
        var instance = ModuleMetadata.Instance.CoreAssembly.GetType("Ingestion.Core.EmulatorControl.EmulatorInstance", throwOnError: true)!;
        Assert.NotNull(instance.GetProperty(parameter));
    }

    [Fact]
    public void SendIngestFileFollowsThePathConventions()
    {
        var send = ModuleMetadata.Instance.Cmdlet("Send-IngestFile");
        var path = send.Parameter("Path")!;
        var literal = send.Parameter("LiteralPath")!;
        Assert.True(path.Has("SupportsWildcardsAttribute"));
        Assert.False(path.Flag("ValueFromPipeline"));
        Assert.Contains("PSPath", literal.Aliases);
        Assert.True(literal.Flag("ValueFromPipelineByPropertyName"));
        Assert.NotEqual(path.SetName, literal.SetName);
    }

    [Theory]
    [InlineData("ConvertTo-IngestParquet")]
    [InlineData("Get-IngestParquetInfo")]
    [InlineData("Import-IngestParquet")]
    [InlineData("Test-IngestFile")]
    public void FileCmdletsFollowThePathConventions(string name)
    {
        var cmdlet = ModuleMetadata.Instance.Cmdlet(name);
        var path = cmdlet.Parameter("Path")!;
        var literal = cmdlet.Parameter("LiteralPath")!;
        Assert.True(path.Has("SupportsWildcardsAttribute"));
        Assert.Contains("PSPath", literal.Aliases);
        Assert.True(literal.Flag("ValueFromPipelineByPropertyName"));
        Assert.NotEqual(path.SetName, literal.SetName);
    }

    [Fact]
    public void ConvertToIngestParquetTakesObjectsFromThePipelineAndAsksBeforeWriting()
    {
        var convert = ModuleMetadata.Instance.Cmdlet("ConvertTo-IngestParquet");
        Assert.True(convert.Parameter("InputObject")!.Flag("ValueFromPipeline"));
        Assert.True(convert.Named<bool>("SupportsShouldProcess"));
        Assert.NotNull(convert.Parameter("Force"));
    }

    [Fact]
    public void CommandsFolderHoldsOneCmdletPerFileNamedAfterIt()
    {
        var files = Directory.GetFiles(Repository.CommandsDirectory, "*.cs");
        Assert.Equal(
            ModuleMetadata.Instance.Cmdlets.Select(c => c.Type.Name + ".cs").Order(StringComparer.Ordinal),
            files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var classes = Regex.Matches(File.ReadAllText(file), @"\bclass\s+(\w+)").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(Path.GetFileNameWithoutExtension(file), classes.First());
        }
    }
}
