using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using Ingestion.Loader;

namespace Ingestion.Isolation.Tests;

/// <summary>
/// Another module has already put a different Polly.Core in the default load context; the staged module's loader
/// still gives the engine its own Polly, in the engine's private context, and leaves the other one alone.
/// Everything runs for real in this process (no PowerShell runspace is involved: pwsh does the same through
/// <see cref="ModuleAssemblyLoader.OnImport"/>, proven by tests/pester/Isolation.Tests.ps1).
/// </summary>
public sealed class ConflictingPollyTests
{
    [Fact]
    public async Task EngineUsesItsOwnPollyWhenAnotherVersionIsAlreadyInTheDefaultContext()
    {
        // 1. The other module's Polly, loaded first into the default context.
        var conflicting = AssemblyLoadContext.Default.LoadFromAssemblyPath(StagedModule.ConflictingPolly);
        var ours = Path.Combine(StagedModule.Dependencies, "Polly.Core.dll");
        Assert.NotEqual(FileVersion(StagedModule.ConflictingPolly), FileVersion(ours));

        // 2. What pwsh does on Import-Module: the loader first, then the cmdlet assembly from the module root.
        ModuleAssemblyLoader.Register(StagedModule.Dependencies);
        var cmdlets = AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.Combine(StagedModule.Directory, "Ingestion.PowerShell.dll"));

        // 3. A cmdlet's engine-typed parameter makes the default context resolve Ingestion.Core: the loader answers.
        var platform = cmdlets.GetType("Ingestion.PowerShell.Commands.ConnectIngestServiceCommand", throwOnError: true)!.GetProperty("Platform")!.PropertyType;
        var core = platform.Assembly;
        Assert.Equal("Ingestion.Core", core.GetName().Name);
        Assert.Equal(Path.Combine(StagedModule.Dependencies, "Ingestion.Core.dll"), core.Location);
        Assert.Same(ModuleAssemblyLoader.LoadContext, AssemblyLoadContext.GetLoadContext(core));
        Assert.NotSame(AssemblyLoadContext.Default, ModuleAssemblyLoader.LoadContext);

        // 4. The engine builds its retry pipeline (Polly types) and sends a request through it.
        var settings = Activator.CreateInstance(core.GetType("Ingestion.Core.Sessions.RetrySettings", throwOnError: true)!)!;
        var handlerType = core.GetType("Ingestion.Core.Http.ResilienceHandler", throwOnError: true)!;
        var handler = (DelegatingHandler)Activator.CreateInstance(handlerType, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, [settings, TimeProvider.System], null)!;
        handler.InnerHandler = new OkHandler();
        using (var invoker = new HttpMessageInvoker(handler))
        using (var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://localhost/probe"), CancellationToken.None))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var pipeline = handlerType.GetField("pipeline", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(handler)!;
        var enginePolly = pipeline.GetType().Assembly;
        Assert.Equal("Polly.Core", enginePolly.GetName().Name);
        Assert.Equal(ours, enginePolly.Location);
        Assert.Equal(FileVersion(ours), FileVersion(enginePolly.Location));
        Assert.Same(ModuleAssemblyLoader.LoadContext, AssemblyLoadContext.GetLoadContext(enginePolly));
        Assert.Same(enginePolly, core.GetReferencedAssemblies().Where(a => a.Name == "Polly.Core").Select(ModuleAssemblyLoader.LoadContext!.LoadFromAssemblyName).Single());

        // 5. The other module's Polly is untouched: still the one the default context hands out.
        Assert.NotSame(conflicting, enginePolly);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(conflicting));
        Assert.Same(conflicting, AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Polly.Core")));
        Assert.Equal(StagedModule.ConflictingPolly, conflicting.Location);
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name is "Ingestion.Core" or "Ingestion.Parquet");
        Assert.Single(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Polly.Core");
    }

    private static string? FileVersion(string path) => FileVersionInfo.GetVersionInfo(path).FileVersion;

    private sealed class OkHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
    }
}
