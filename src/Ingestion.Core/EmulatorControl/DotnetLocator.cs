using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Ingestion.Core.EmulatorControl;

/// <summary>Finds the <c>dotnet</c> host and checks it has an ASP.NET Core runtime the emulator can roll forward to.</summary>
internal static partial class DotnetLocator
{
    private const int MinimumAspNetMajor = 8;

    private static string ExecutableName => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";

    /// <summary>DOTNET_HOST_PATH (set by the SDK for the processes it starts), DOTNET_ROOT, PATH, then the usual install folders.</summary>
    public static string Find(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath) ? explicitPath : throw new EmulatorUnavailableException(LauncherMessages.DotnetNotFound);
        }

        foreach (var candidate in Candidates())
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new EmulatorUnavailableException(LauncherMessages.DotnetNotFound);
    }

    private static IEnumerable<string?> Candidates()
    {
        yield return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");

        foreach (var variable in new[] { "DOTNET_ROOT", RuntimeInformation.ProcessArchitecture == Architecture.X64 ? "DOTNET_ROOT_X64" : "DOTNET_ROOT_ARM64" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } root)
            {
                yield return Path.Combine(root, ExecutableName);
            }
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return Path.Combine(directory.Trim('"'), ExecutableName);
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet", ExecutableName);
        }
        else
        {
            yield return "/usr/local/share/dotnet/dotnet";
            yield return "/usr/share/dotnet/dotnet";
            yield return "/usr/lib/dotnet/dotnet";
            yield return "/opt/homebrew/opt/dotnet/libexec/dotnet";
            yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "dotnet");
        }
    }

    /// <summary>Throws <see cref="EmulatorUnavailableException"/> unless <c>dotnet --list-runtimes</c> shows Microsoft.AspNetCore.App 8.0 or later.</summary>
    public static async Task RequireAspNetRuntimeAsync(string dotnet, CancellationToken ct)
    {
        string output;
        try
        {
            using var process = new Process
            {
                StartInfo = new ProcessStartInfo(dotnet, "--list-runtimes")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    RedirectStandardInput = true,
                    UseShellExecute = false,
                    CreateNoWindow = true,
                },
            };
            process.StartInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
            process.Start();
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Timed out or stopped by the caller: either way the process is not left running.
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited meanwhile.
                }

                ct.ThrowIfCancellationRequested();
                throw new TimeoutException("it did not answer within 30 s");
            }

            output = await stdout;
            await stderr;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException or IOException)
        {
            throw new EmulatorUnavailableException(string.Format(CultureInfo.InvariantCulture, LauncherMessages.ListRuntimesFailed, dotnet, ex.Message), ex);
        }

        var aspNet = AspNetRuntimeLine().Matches(output).Select(m => (Major: int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture), Version: m.Groups["version"].Value)).ToList();
        if (!aspNet.Any(r => r.Major >= MinimumAspNetMajor))
        {
            var found = aspNet.Count == 0 ? "no ASP.NET Core runtime" : string.Join(", ", aspNet.Select(r => "Microsoft.AspNetCore.App " + r.Version));
            throw new EmulatorUnavailableException(string.Format(CultureInfo.InvariantCulture, LauncherMessages.NoAspNetRuntime, dotnet, found));
        }
    }

    [GeneratedRegex(@"^Microsoft\.AspNetCore\.App (?<version>(?<major>\d+)\.\d+\S*)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex AspNetRuntimeLine();
}
