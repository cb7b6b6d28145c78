using System.Management.Automation;

namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// Remove-Module (and Import-Module -Force, which removes first) ends the module's default session: it is closed
/// and forgotten, so a re-imported module starts without a connection instead of silently reusing the old one.
/// Sessions a script keeps in variables (Connect-IngestService -PassThru) that are not the default stay open until
/// Disconnect-IngestService.
/// </summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (SessionStore.Default is { } session && SessionStore.ClearIf(session))
        {
            session.Dispose();
        }
    }
}
