using Ingestion.Emulator.Http;
using Microsoft.AspNetCore.Http;

namespace Ingestion.Emulator.Faults;

/// <summary><c>GET</c> and <c>PUT /emulator/faults</c>: read and change fault injection at run time. Loopback callers only.</summary>
internal sealed class FaultEndpoints(FaultInjector faults)
{
    public Task GetAsync(HttpContext context)
    {
        RequireLoopback(context);
        return HttpJson.WriteAsync(context, StatusCodes.Status200OK, faults.ToJson());
    }

    /// <summary>Replaces every setting (absent keys take their defaults, so <c>{}</c> turns faults off), restarts the PRNG and zeroes the counters.</summary>
    public async Task PutAsync(HttpContext context)
    {
        RequireLoopback(context);
        var json = await HttpJson.ReadObjectAsync(context, Problems.InvalidFaultSettings);
        FaultOptions options;
        try
        {
            options = FaultSettings.FromJson(json, "faults");
        }
        catch (ArgumentException ex)
        {
            throw Problems.InvalidFaultSettings(ex.Message);
        }

        faults.Set(options);
        await HttpJson.WriteAsync(context, StatusCodes.Status200OK, faults.ToJson());
    }

    private static void RequireLoopback(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address || !System.Net.IPAddress.IsLoopback(address))
        {
            throw Problems.FaultControlForbidden();
        }
    }
}
