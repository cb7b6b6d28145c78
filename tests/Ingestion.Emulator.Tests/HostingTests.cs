using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Ingestion.Emulator.Hosting;
using Ingestion.Emulator.Tests.Infrastructure;

namespace Ingestion.Emulator.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Port_zero_picks_a_free_port_on_127_0_0_1_and_reports_it()
    {
        await using var first = await TestEmulator.StartAsync();
        await using var second = await TestEmulator.StartAsync();

        Assert.Equal("127.0.0.1", first.Endpoint.Host);
        Assert.NotEqual(0, first.Endpoint.Port);
        Assert.NotEqual(first.Endpoint.Port, second.Endpoint.Port);
        Assert.Equal("/", first.Endpoint.AbsolutePath);
        using var health = await first.Http.GetAsync("emulator/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task It_listens_on_the_loopback_address_only()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners()
            .Where(l => l.Port == emulator.Endpoint.Port)
            .ToList();

        Assert.NotEmpty(listeners);
        Assert.All(listeners, l => Assert.Equal(IPAddress.Loopback, l.Address));
    }

    [Fact]
    public async Task A_port_in_use_is_a_clear_start_error()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        using var directory = new TempDirectory();

        var error = await Assert.ThrowsAsync<EmulatorStartException>(() =>
            EmulatorHost.StartAsync(new EmulatorOptions { Port = port, DataDirectory = directory.Path }));
        Assert.Contains(port.ToString(), error.Message);
        Assert.False(File.Exists(directory.Combine("emulator.lock.json")));
    }

    [Fact]
    public async Task Options_are_checked()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EmulatorHost.StartAsync(new EmulatorOptions { Port = 70000 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => EmulatorHost.StartAsync(new EmulatorOptions { TokenLifetime = TimeSpan.Zero }));
    }

    [Fact]
    public void The_default_data_directory_is_per_user()
    {
        var directory = EmulatorOptions.DefaultDataDirectory;
        Assert.EndsWith(Path.Combine("Ingestion", "emulator"), directory);
        Assert.Equal(directory, new EmulatorOptions().DataDirectory);
        Assert.Equal(new EmulatorCredentials("ingestion-emulator", "emulator-secret", "EMULATORORG@AdobeOrg", "prod"), EmulatorCredentials.Default);
    }

    [Fact]
    public void The_command_line_takes_every_documented_option()
    {
        var parsed = CommandLine.Parse(["--port", "5055", "--data-dir=/tmp/d", "--config", "c.json", "--token-lifetime", "60", "--processing-delay", "5", "--log-file", "l.log", "--detached"]);

        Assert.Equal(5055, parsed.Options.Port);
        Assert.Equal("/tmp/d", parsed.Options.DataDirectory);
        Assert.Equal("c.json", parsed.Options.ConfigPath);
        Assert.Equal(TimeSpan.FromSeconds(60), parsed.Options.TokenLifetime);
        Assert.Equal(TimeSpan.FromMilliseconds(5), parsed.Options.ProcessingDelay);
        Assert.Equal("l.log", parsed.LogFile);
        Assert.True(parsed.Detached);
        Assert.True(CommandLine.Parse(["--help"]).Help);
    }

    [Theory]
    [InlineData("--port", "abc")]
    [InlineData("--port", "70000")]
    [InlineData("--token-lifetime", "0")]
    [InlineData("--processing-delay", "-1")]
    [InlineData("--frobnicate")]
    [InlineData("--data-dir")]
    public void Bad_arguments_are_refused_with_a_message(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        Assert.Contains(args[0], error.Message);
    }
}
