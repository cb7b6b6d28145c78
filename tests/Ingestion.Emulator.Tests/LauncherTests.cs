using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Ingestion.Core.EmulatorControl;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

/// <summary>The emulator as a real background process: the executable's contract and Core's launcher.</summary>
public sealed class LauncherTests
{
    private static string EmulatorDll => Path.Combine(AppContext.BaseDirectory, "Ingestion.Emulator.dll");

    private static EmulatorLaunchOptions Options(TempDirectory directory, string? config = null) => new()
    {
        EmulatorAssemblyPath = EmulatorDll,
        DataDirectory = directory.Path,
        ProcessingDelay = TimeSpan.FromMilliseconds(10),
        ConfigPath = config,
        ReadyTimeout = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public async Task Start_call_find_and_stop_a_background_emulator()
    {
        using var directory = new TempDirectory();
        var instance = await EmulatorLauncher.StartAsync(Options(directory), CancellationToken.None);
        try
        {
            Assert.Equal("127.0.0.1", instance.Endpoint.Host);
            Assert.Equal("ingestion-emulator", instance.ClientId);
            Assert.Equal("EMULATORORG@AdobeOrg", instance.OrganizationId);
            Assert.Equal("prod", instance.Sandbox);
            Assert.Equal(directory.Path, instance.DataDirectory);
            Assert.Equal(15, instance.ClientSecret.Length);
            Assert.True(instance.ClientSecret.IsReadOnly());

            using var http = new HttpClient { BaseAddress = instance.Endpoint };
            using var token = await http.PostAsync("ims/token/v3", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = instance.ClientId,
                ["client_secret"] = "emulator-secret",
                ["grant_type"] = "client_credentials",
            }));
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);

            var found = EmulatorLauncher.FindRunning(directory.Path);
            Assert.NotNull(found);
            Assert.Equal(instance.ProcessId, found.ProcessId);
            Assert.Equal(instance.Endpoint, found.Endpoint);

            var again = await Assert.ThrowsAsync<EmulatorAlreadyRunningException>(() => EmulatorLauncher.StartAsync(Options(directory), CancellationToken.None));
            Assert.Equal(instance.ProcessId, again.Instance.ProcessId);

            // After ready the emulator logs to its file, not to the launcher's pipes.
            await Task.Delay(200);
            Assert.Contains("ims/token/v3", await ReadSharedAsync(instance.LogPath));
        }
        finally
        {
            Assert.True(EmulatorLauncher.Stop(instance));
        }

        Assert.Throws<ArgumentException>(() => Process.GetProcessById(instance.ProcessId).WaitForExit());
        Assert.Null(EmulatorLauncher.FindRunning(directory.Path));
        Assert.False(File.Exists(directory.Combine("emulator.lock.json")));
        Assert.False(EmulatorLauncher.Stop(instance.ProcessId));
    }

    [Fact]
    public async Task The_instance_carries_the_data_cloud_credentials_that_log_in()
    {
        using var directory = new TempDirectory();
        var instance = await EmulatorLauncher.StartAsync(Options(directory), CancellationToken.None);
        try
        {
            Assert.Equal("emulator@ingestion.invalid", instance.UserName);
            Assert.Equal(directory.Combine("datacloud", "emulator-private-key.pem"), instance.PrivateKeyPath);
            Assert.Equal(instance.Endpoint.ToString().TrimEnd('/'), instance.LoginUrl);

            var found = EmulatorLauncher.FindRunning(directory.Path);
            Assert.NotNull(found);
            Assert.Equal(instance.UserName, found.UserName);
            Assert.Equal(instance.PrivateKeyPath, found.PrivateKeyPath);
            Assert.Equal(instance.LoginUrl, found.LoginUrl);

            // Exactly what Connect-IngestService -Platform DataCloud binds: ClientId, UserName, PrivateKeyPath, LoginUrl.
            using var key = System.Security.Cryptography.RSA.Create();
            key.ImportFromPem(await File.ReadAllTextAsync(instance.PrivateKeyPath!));
            var claims = new JsonObject
            {
                ["iss"] = instance.ClientId,
                ["sub"] = instance.UserName,
                ["aud"] = instance.LoginUrl,
                ["exp"] = DateTimeOffset.UtcNow.AddMinutes(3).ToUnixTimeSeconds(),
            };
            using var http = new HttpClient();
            using var login = await http.PostAsync(instance.LoginUrl + "/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = DataCloudSession.Sign(key, claims),
            }));
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }
        finally
        {
            Assert.True(EmulatorLauncher.Stop(instance));
        }
    }

    [Fact]
    public async Task A_process_that_exits_before_ready_is_reported_with_its_output()
    {
        using var directory = new TempDirectory();
        var config = directory.Combine("broken.json");
        await File.WriteAllTextAsync(config, "{ nope");

        var error = await Assert.ThrowsAsync<EmulatorLaunchException>(() => EmulatorLauncher.StartAsync(Options(directory, config), CancellationToken.None));
        Assert.Contains("exited with code 1", error.Message);
        Assert.Contains("broken.json", error.Output);
    }

    [Fact]
    public async Task A_missing_emulator_is_unavailable()
    {
        using var directory = new TempDirectory();
        var options = new EmulatorLaunchOptions { EmulatorAssemblyPath = directory.Combine("Ingestion.Emulator.dll"), DataDirectory = directory.Path };

        var error = await Assert.ThrowsAsync<EmulatorUnavailableException>(() => EmulatorLauncher.StartAsync(options, CancellationToken.None));
        Assert.Contains("Ingestion.Emulator.dll", error.Message);
    }

    [Fact]
    public async Task A_dotnet_without_the_aspnet_runtime_is_unavailable_with_install_advice()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return;
        }

        using var directory = new TempDirectory();
        var fake = directory.Combine("dotnet");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\necho 'Microsoft.NETCore.App 8.0.11 [/usr/share/dotnet/shared/Microsoft.NETCore.App]'\necho 'Microsoft.AspNetCore.App 6.0.36 [/x]'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = new EmulatorLaunchOptions { EmulatorAssemblyPath = EmulatorDll, DataDirectory = directory.Path, DotnetPath = fake };

        var error = await Assert.ThrowsAsync<EmulatorUnavailableException>(() => EmulatorLauncher.StartAsync(options, CancellationToken.None));
        Assert.Contains("Install the ASP.NET Core Runtime 8.0 or later (https://dotnet.microsoft.com/download/dotnet)", error.Message);
        Assert.Contains("Microsoft.AspNetCore.App 6.0.36", error.Message);
    }

    [Fact]
    public async Task The_executable_prints_one_ready_line_first_and_stops_on_sigterm()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return;
        }

        using var directory = new TempDirectory();
        using var process = StartEmulatorProcess("--port", "0", "--data-dir", directory.Path, "--processing-delay", "5");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.StartsWith("""{"event":"ready",""", ready);
        var json = JsonNode.Parse(ready!)!;
        foreach (var field in new[] { "endpoint", "dataDirectory", "processId", "clientId", "clientSecret", "organizationId", "sandbox", "userName", "privateKeyPath", "loginUrl" })
        {
            Assert.NotNull(json[field]);
        }

        Assert.Equal("emulator@ingestion.invalid", (string)json["userName"]!);
        Assert.Equal(directory.Combine("datacloud", "emulator-private-key.pem"), (string)json["privateKeyPath"]!);
        Assert.Equal(((string)json["endpoint"]!).TrimEnd('/'), (string)json["loginUrl"]!);

        Assert.Equal(process.Id, (int)json["processId"]!);
        Assert.Equal(directory.Path, (string)json["dataDirectory"]!);
        Assert.True(File.Exists(directory.Combine("emulator.lock.json")));

        Assert.True(EmulatorLauncher.Stop(process.Id));
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, process.ExitCode);
        Assert.False(File.Exists(directory.Combine("emulator.lock.json")));
    }

    [Fact]
    public async Task The_executable_refuses_bad_arguments_with_exit_code_2()
    {
        using var process = StartEmulatorProcess("--port", "not-a-port");
        var error = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--port", error);
    }

    private static Process StartEmulatorProcess(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(EmulatorDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
