namespace Ingestion.PowerShell.Runtime;

/// <summary>
/// Stable progress activity ids, so a host shows one bar per activity and a script's own
/// Write-Progress ids (usually small numbers) do not collide with ours.
/// </summary>
internal static class ProgressActivity
{
    public const int SendFiles = 47_100;
    /// <summary>The first file bar; each file in flight gets the next free id from here (at most 128 at once).</summary>
    public const int SendFile = 47_500;
    public const int WaitBatch = 47_200;
    public const int WaitMapping = 47_201;
    public const int WaitJobSlot = 47_202;
    public const int Convert = 47_400;
    public const int ConvertObjects = 47_401;
    public const int SendRecords = 47_600;
}
