namespace Ingestion.Emulator;

/// <summary>The emulator could not start: an invalid config file, or another emulator already owns the data directory.</summary>
public sealed class EmulatorStartException(string message, Exception? innerException = null) : Exception(message, innerException);
