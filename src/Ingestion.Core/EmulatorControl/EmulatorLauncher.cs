using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Ingestion.Core.EmulatorControl;

/// <summary>
/// Starts the emulator as a background process with the machine's <c>dotnet</c>, finds a running one from
/// its data directory, and stops it. The process outlives the session that started it.
/// </summary>
public static class EmulatorLauncher
{
    public const string LogFileName = Shared.EmulatorFiles.LogFileName;
    public const string EmulatorAssemblyName = "Ingestion.Emulator.dll";
    private const string ReadyPrefix = "{\"event\":\"ready\"";
    private const int OutputTailLines = 40;

    /// <summary>
    /// Starts an emulator and waits for its ready line. Throws <see cref="EmulatorUnavailableException"/> when
    /// it cannot run here, <see cref="EmulatorAlreadyRunningException"/> when one already serves the data
    /// directory, and <see cref="EmulatorLaunchException"/> when the process fails or is not ready in time.
    /// </summary>
    public static async Task<EmulatorInstance> StartAsync(EmulatorLaunchOptions o, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(o);
        var dataDirectory = Path.GetFullPath(o.DataDirectory ?? EmulatorLaunchOptions.DefaultDataDirectory);
        if (FindRunning(dataDirectory) is { } running)
        {
            throw new EmulatorAlreadyRunningException(running);
        }

        var assembly = ResolveAssembly(o.EmulatorAssemblyPath);
        var dotnet = DotnetLocator.Find(o.DotnetPath);
        await DotnetLocator.RequireAspNetRuntimeAsync(dotnet, ct);
        Directory.CreateDirectory(dataDirectory);

        using var process = new Process { StartInfo = CreateStartInfo(o, dotnet, assembly, dataDirectory) };
        var tail = new OutputTail(OutputTailLines);
        process.Start();

        // The emulator never reads stdin; an empty pipe keeps it from holding on to the caller's terminal.
        process.StandardInput.Close();

        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = PumpAsync(process.StandardOutput, tail, ready);
        var stderr = PumpAsync(process.StandardError, tail, null);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.ReadyTimeout);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var finished = await Task.WhenAny(ready.Task, exited, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);

        if (finished == ready.Task)
        {
            // From here on the emulator logs to its file; closing the pipes lets it outlive this process.
            Release(process, stdout, stderr);
            return ParseReadyLine(await ready.Task, dataDirectory);
        }

        if (finished == exited)
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            throw new EmulatorLaunchException(
                string.Format(CultureInfo.InvariantCulture, LauncherMessages.ExitedBeforeReady, process.ExitCode, Environment.NewLine, tail.Text()),
                tail.Text());
        }

        Kill(process);
        Release(process, stdout, stderr);
        ct.ThrowIfCancellationRequested();
        throw new EmulatorLaunchException(
            string.Format(CultureInfo.InvariantCulture, LauncherMessages.NotReadyInTime, o.ReadyTimeout.TotalSeconds, Environment.NewLine, tail.Text()),
            tail.Text(),
            new TimeoutException());
    }

    /// <summary>The emulator serving <paramref name="dataDirectory"/> (from its lock file), or null when none is running.</summary>
    public static EmulatorInstance? FindRunning(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var full = Path.GetFullPath(dataDirectory);
        var lockFile = EmulatorLockFile.Read(full);
        return lockFile is not null && lockFile.IsAlive() ? lockFile.ToInstance(full) : null;
    }

    /// <summary>Stops the emulator and removes its lock file if the process could not do it itself; false when it was not running.</summary>
    public static bool Stop(EmulatorInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var stopped = Stop(instance.ProcessId);
        var lockFile = EmulatorLockFile.Read(instance.DataDirectory);
        if (lockFile is not null && lockFile.ProcessId == instance.ProcessId)
        {
            try
            {
                File.Delete(EmulatorLockFile.PathFor(instance.DataDirectory));
            }
            catch (IOException)
            {
            }
        }

        return stopped;
    }

    /// <summary>
    /// Asks the emulator process to stop (SIGTERM, so it finishes what it writes) and waits up to 10 s before
    /// killing it. On Windows, which has no SIGTERM for other processes, it is killed at once; its state files
    /// are written atomically, so nothing is lost but in-flight requests. False when the process is not running.
    /// </summary>
    public static bool Stop(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, LauncherMessages.InThisProcess, processId));
        }

        Process process;
        try
        {
            process = Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return false;
        }

        using (process)
        {
            if (process.HasExited)
            {
                return false;
            }

            var name = process.ProcessName;
            if (!name.Equals("dotnet", StringComparison.OrdinalIgnoreCase) && !name.Equals("Ingestion.Emulator", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, LauncherMessages.NotAnEmulator, processId, name));
            }

            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && Posix.Terminate(processId) && process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                return true;
            }

            Kill(process);
            return true;
        }
    }

    private static ProcessStartInfo CreateStartInfo(EmulatorLaunchOptions o, string dotnet, string assembly, string dataDirectory)
    {
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,

            // Its own (hidden) console on Windows, so closing the caller's window or Ctrl+C there does not reach it.
            CreateNoWindow = true,
            WorkingDirectory = dataDirectory,
        };
        info.ArgumentList.Add(assembly);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(o.Port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--data-dir");
        info.ArgumentList.Add(dataDirectory);
        if (o.ConfigPath is not null)
        {
            info.ArgumentList.Add("--config");
            info.ArgumentList.Add(Path.GetFullPath(o.ConfigPath));
        }

        if (o.TokenLifetime is { } lifetime)
        {
            info.ArgumentList.Add("--token-lifetime");
            info.ArgumentList.Add(((long)Math.Ceiling(lifetime.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        if (o.ProcessingDelay is { } delay)
        {
            info.ArgumentList.Add("--processing-delay");
            info.ArgumentList.Add(((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrWhiteSpace(o.Faults))
        {
            info.ArgumentList.Add("--faults");
            info.ArgumentList.Add(o.Faults);
        }

        info.ArgumentList.Add("--log-file");
        info.ArgumentList.Add(Path.Combine(dataDirectory, LogFileName));
        info.ArgumentList.Add("--detached");
        return info;
    }

    private static string ResolveAssembly(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath);
            return File.Exists(full)
                ? full
                : throw new EmulatorUnavailableException(string.Format(CultureInfo.InvariantCulture, LauncherMessages.EmulatorMissing, full));
        }

        var here = Path.GetDirectoryName(typeof(EmulatorLauncher).Assembly.Location) ?? AppContext.BaseDirectory;
        // Beside this assembly (tests), in an emulator folder beside it, or beside the dependencies folder it is staged in.
        foreach (var candidate in new[] { Path.Combine(here, EmulatorAssemblyName), Path.Combine(here, "emulator", EmulatorAssemblyName), Path.Combine(here, "..", "emulator", EmulatorAssemblyName) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new EmulatorUnavailableException(
            string.Format(CultureInfo.InvariantCulture, LauncherMessages.EmulatorMissing, Path.Combine(here, EmulatorAssemblyName)));
    }

    /// <summary>Reads lines until the stream ends (or is closed by <see cref="Release"/>), completing <paramref name="ready"/> at the ready line.</summary>
    private static async Task PumpAsync(StreamReader reader, OutputTail tail, TaskCompletionSource<string>? ready)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (ready is not null && line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                {
                    ready.TrySetResult(line);
                    return;
                }

                tail.Add(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Released after the ready line, or the process went away.
        }
    }

    /// <summary>Closes this side of the pipes; the emulator ignores the broken pipe and keeps running.</summary>
    private static void Release(Process process, Task stdout, Task stderr)
    {
        try
        {
            process.StandardOutput.Dispose();
            process.StandardError.Dispose();
        }
        catch (IOException)
        {
        }

        // The pumps end with the closed streams; nobody awaits them, so observe their outcome here.
        _ = stdout.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        _ = stderr.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    private static EmulatorInstance ParseReadyLine(string line, string dataDirectory)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            string Text(string name) => root.GetProperty(name).GetString() ?? throw new JsonException($"'{name}' is null");
            string? Optional(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
            return new EmulatorInstance
            {
                Endpoint = new Uri(Text("endpoint")),
                DataDirectory = root.TryGetProperty("dataDirectory", out var dir) ? dir.GetString() ?? dataDirectory : dataDirectory,
                ProcessId = root.GetProperty("processId").GetInt32(),
                ClientId = Text("clientId"),
                ClientSecret = EmulatorInstance.Secure(Text("clientSecret")),
                OrganizationId = Text("organizationId"),
                Sandbox = Text("sandbox"),
                Version = root.TryGetProperty("version", out var version) ? version.GetString() : null,
                UserName = Optional("userName"),
                PrivateKeyPath = Optional("privateKeyPath"),
                LoginUrl = Optional("loginUrl"),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or UriFormatException or FormatException)
        {
            throw new EmulatorLaunchException(string.Format(CultureInfo.InvariantCulture, LauncherMessages.BadReadyLine, ex.Message), line, ex);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>The last lines a process printed, for error messages.</summary>
    private sealed class OutputTail(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }
            }
        }

        public string Text()
        {
            lock (_lines)
            {
                return _lines.Count == 0 ? LauncherMessages.NoOutput : string.Join(Environment.NewLine, _lines);
            }
        }
    }
}
