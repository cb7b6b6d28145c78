namespace Ingestion.Pester.Tests;

/// <summary>A fact that is skipped, saying why, where PowerShell or Pester is missing.</summary>
public sealed class PwshFactAttribute : FactAttribute
{
    public PwshFactAttribute()
    {
        if (PowerShellTools.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
