using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Ingestion.Emulator.Faults;

internal enum FaultKind
{
    ServerError,
    Throttle,
    ResetRequest,
    ResetResponse,
    Slow,
    LostResponse,
    TokenExpired,
}

/// <summary>What happens to one request: maybe a delay first, then at most one other fault.</summary>
internal readonly record struct FaultDecision(bool Slow, FaultKind? Fault, int ServerErrorStatus)
{
    public static FaultDecision None => default;
}

/// <summary>
/// The fault settings in force, the seeded PRNG and the counters. Setting new options restarts the PRNG from their
/// seed and zeroes the counters, so a test that sets the same options twice sees the same faults twice.
/// </summary>
/// <remarks>
/// Every request in scope draws, under one lock and in arrival order, one number per fault kind whose rate is above
/// zero (and one more for the 5xx status when server errors are on), whatever the outcome; so the decision for the
/// n-th request depends only on the seed, the rates and n. The faults then take precedence in this order:
/// reset-request, server-error, throttle, lost, reset-response; slow combines with any of them. A rate is thus the
/// chance of that fault among requests no earlier fault took. With every rate 0 nothing is drawn.
/// </remarks>
internal sealed class FaultInjector
{
    private static readonly int[] ServerErrorStatuses = [500, 502, 503];

    private readonly ILogger _logger;
    private volatile State _state;

    public FaultInjector(FaultOptions options, ILogger logger)
    {
        _logger = logger;
        _state = new State(options);
        if (options != FaultOptions.None)
        {
            logger.LogInformation("Fault injection: {Faults}.", Describe(options));
        }
    }

    public FaultOptions Options => _state.Options;

    /// <summary>Replaces the settings, restarts the PRNG from their seed and zeroes the counters.</summary>
    public void Set(FaultOptions options)
    {
        _state = new State(options);
        _logger.LogInformation("Fault injection set: {Faults}.", Describe(options));
    }

    public static string Kebab(FaultKind kind) => kind switch
    {
        FaultKind.ServerError => "server-error",
        FaultKind.Throttle => "throttle",
        FaultKind.ResetRequest => "reset-request",
        FaultKind.ResetResponse => "reset-response",
        FaultKind.Slow => "slow",
        FaultKind.LostResponse => "lost",
        FaultKind.TokenExpired => "token-expired",
        _ => kind.ToString(),
    };

    /// <summary>Counts the request and draws its fault; requests out of scope are neither counted nor drawn for.</summary>
    public FaultDecision Decide(string path, out FaultOptions options)
    {
        var state = _state;
        options = state.Options;
        if (options.PathPrefix is { } prefix && !InScope(path, prefix))
        {
            return FaultDecision.None;
        }

        Interlocked.Increment(ref state.Requests);
        if (!options.AnyRequestFault)
        {
            return FaultDecision.None;
        }

        lock (state.Random)
        {
            var random = state.Random;
            // One draw picks at most one of the exclusive faults from back-to-back intervals, so each happens at exactly
            // its configured rate (independent draws in priority order would thin out the later ones). A rate of 0
            // adds no interval and the same draws happen, so it does not shift the sequence.
            var draw = random.NextDouble();
            var status = options.ServerErrorRate > 0 ? ServerErrorStatuses[random.Next(ServerErrorStatuses.Length)] : 0;
            var slow = options.SlowRate > 0 && random.NextDouble() < options.SlowRate;

            FaultKind? fault = null;
            var edge = 0.0;
            foreach (var (kind, rate) in options.ExclusiveRates)
            {
                edge += rate;
                if (draw < edge)
                {
                    fault = kind;
                    break;
                }
            }

            return new FaultDecision(slow, fault, status);
        }
    }

    /// <summary>Counts an injected fault and logs it through the emulator's log.</summary>
    public void Injected(FaultKind kind, string method, string target, string requestId)
    {
        Interlocked.Increment(ref _state.Injected[(int)kind]);
        _logger.LogInformation("Fault injected: {Fault} on {Method} {Target} (request {RequestId}).", Kebab(kind), method, target, requestId);
    }

    public void TokenExpired(TimeSpan age, TimeSpan lifetime)
    {
        Interlocked.Increment(ref _state.Injected[(int)FaultKind.TokenExpired]);
        _logger.LogInformation(
            "Fault injected: token-expired, a token issued {Age:0.#} s ago is refused (fault token lifetime {Lifetime:0.#} s).",
            age.TotalSeconds, lifetime.TotalSeconds);
    }

    /// <summary><c>{"settings":{…},"counters":{"requests":n,"serverError":n,…}}</c></summary>
    public JsonObject ToJson()
    {
        var state = _state;
        var counters = new JsonObject { ["requests"] = Interlocked.Read(ref state.Requests) };
        foreach (var kind in Enum.GetValues<FaultKind>())
        {
            counters[char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..]] = Interlocked.Read(ref state.Injected[(int)kind]);
        }

        return new JsonObject { ["settings"] = FaultSettings.ToJson(state.Options), ["counters"] = counters };
    }

    private static bool InScope(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && (path.Length == prefix.Length || prefix[^1] == '/' || path[prefix.Length] == '/');

    private static string Describe(FaultOptions options) => options == FaultOptions.None ? "none" : options.ToString();

    private sealed class State(FaultOptions options)
    {
        public readonly FaultOptions Options = options;

        // System.Random with a seed keeps its legacy algorithm on every .NET version, so sequences are stable.
        public readonly Random Random = new(options.Seed);
        public readonly long[] Injected = new long[Enum.GetValues<FaultKind>().Length];
        public long Requests;
    }
}
