namespace Ingestion.Emulator.State;

/// <summary>The Catalog status values the emulator moves batches through (lowercase, as Catalog reports them).</summary>
internal static class BatchStatus
{
    public const string Loading = "loading";
    public const string Staging = "staging";
    public const string Active = "active";
    public const string Failed = "failed";
    public const string Aborted = "aborted";
    public const string Inactive = "inactive";

    public static bool IsFinal(string status) => status is Active or Failed or Aborted or Inactive;
}
