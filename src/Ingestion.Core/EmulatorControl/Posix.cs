using System.Runtime.InteropServices;

namespace Ingestion.Core.EmulatorControl;

/// <summary>SIGTERM for another process; .NET has no managed API to send a signal other than SIGKILL.</summary>
internal static class Posix
{
    private const int SigTerm = 15;

    public static bool Terminate(int processId)
    {
        try
        {
            return Kill(processId, SigTerm) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
