using Ingestion.Emulator.Faults;

namespace Ingestion.Emulator;

/// <summary>
/// Faults the emulator injects on purpose, so clients can prove their retries, timeouts and resumption work.
/// Every rate is a probability from 0 to 1; 0 (the default) turns that fault off. The decision for each request
/// comes from a PRNG seeded with <see cref="Seed"/> and consumed in the order requests arrive, so the same seed
/// and the same sequence of sequential requests give the same faults (with concurrent requests the arrival order
/// is whatever it is). The control route <c>/emulator/faults</c> and everything else under <c>/emulator/</c> and
/// <c>GET /</c> are never faulted; IMS (<c>/ims/token/v3</c>) and the platform (<c>/data/foundation/…</c>) are,
/// unless <see cref="PathPrefix"/> narrows the scope.
/// </summary>
public sealed record FaultOptions
{
    /// <summary>No faults: the emulator behaves as if fault injection did not exist.</summary>
    public static FaultOptions None { get; } = new();

    /// <summary>Seed of the PRNG that decides which request gets which fault.</summary>
    public int Seed { get; init; }

    /// <summary>Rate of 500, 502 and 503 answers (the status is drawn from the same PRNG).</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Rate of 429 answers carrying <c>Retry-After: </c><see cref="RetryAfterSeconds"/>.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>The <c>Retry-After</c> of injected 429s, in whole seconds; 0 is allowed.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Rate of connections reset after reading part of the request body (before reading, without a body).</summary>
    public double ResetRequestRate { get; init; }

    /// <summary>Rate of answers cut off after the headers and part of the body (the request was fully performed).</summary>
    public double ResetResponseRate { get; init; }

    /// <summary>Rate of requests held for <see cref="SlowDelay"/> before they are handled.</summary>
    public double SlowRate { get; init; }

    /// <summary>How long a slow request is held; pick more than the client's per-attempt timeout.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Rate of requests fully performed whose answer is never sent: the connection is dropped instead.</summary>
    public double LostResponseRate { get; init; }

    /// <summary>
    /// When set, access tokens stop being accepted this long after they were issued (the gateway answers 401013,
    /// as for any expired token), whatever <c>expires_in</c> promised. Measured with the emulator's clock against
    /// the setting in force when the token is presented.
    /// </summary>
    public TimeSpan? TokenLifetime { get; init; }

    /// <summary>When set, only requests whose path starts with this prefix (whole segments, e.g. <c>/data/foundation/import</c>) are faulted.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>The faults of which a request gets at most one, with their rates; together at most 1.</summary>
    internal IEnumerable<(FaultKind Kind, double Rate)> ExclusiveRates =>
    [
        (FaultKind.ResetRequest, ResetRequestRate),
        (FaultKind.ServerError, ServerErrorRate),
        (FaultKind.Throttle, ThrottleRate),
        (FaultKind.LostResponse, LostResponseRate),
        (FaultKind.ResetResponse, ResetResponseRate),
    ];

    /// <summary>Whether any per-request fault can happen; false means requests draw nothing from the PRNG.</summary>
    public bool AnyRequestFault =>
        ServerErrorRate > 0 || ThrottleRate > 0 || ResetRequestRate > 0 || ResetResponseRate > 0 || SlowRate > 0 || LostResponseRate > 0;

    /// <summary>
    /// Parses the command line form, e.g. <c>server-error=0.1,throttle=0.05,slow=0.01,slow-delay=15s,token-lifetime=30s,seed=42</c>;
    /// throws <see cref="ArgumentException"/> naming the bad key.
    /// </summary>
    public static FaultOptions Parse(string text) => FaultSettings.ParseCommandLine(text);

    /// <summary>The command line form of these settings (only what differs from the defaults; empty for <see cref="None"/>).</summary>
    public override string ToString() => FaultSettings.ToCommandLine(this);

    internal void Validate(string source)
    {
        CheckRate(ServerErrorRate, nameof(ServerErrorRate));
        CheckRate(ThrottleRate, nameof(ThrottleRate));
        CheckRate(ResetRequestRate, nameof(ResetRequestRate));
        CheckRate(ResetResponseRate, nameof(ResetResponseRate));
        CheckRate(SlowRate, nameof(SlowRate));
        CheckRate(LostResponseRate, nameof(LostResponseRate));

        var total = ExclusiveRates.Sum(r => r.Rate);
        if (total > 1 + 1e-9)
        {
            throw new ArgumentOutOfRangeException(
                $"{source}.{nameof(ServerErrorRate)}",
                total,
                $"{source}: the rates of server errors, throttling, resets and lost answers add up to {total:0.###}; a request gets at most one of them, so together they may be at most 1.");
        }

        if (RetryAfterSeconds < 0)
        {
            throw new ArgumentOutOfRangeException($"{source}.{nameof(RetryAfterSeconds)}", RetryAfterSeconds, $"{source}.{nameof(RetryAfterSeconds)} must not be negative.");
        }

        if (SlowDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException($"{source}.{nameof(SlowDelay)}", SlowDelay, $"{source}.{nameof(SlowDelay)} must not be negative.");
        }

        if (TokenLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException($"{source}.{nameof(TokenLifetime)}", lifetime, $"{source}.{nameof(TokenLifetime)} must be positive (null turns it off).");
        }

        if (PathPrefix is not null && (PathPrefix.Length < 2 || PathPrefix[0] != '/'))
        {
            throw new ArgumentException($"{source}.{nameof(PathPrefix)} must start with '/' and name a path, not '{PathPrefix}'.", $"{source}.{nameof(PathPrefix)}");
        }

        void CheckRate(double rate, string name)
        {
            if (!(rate is >= 0 and <= 1))
            {
                throw new ArgumentOutOfRangeException($"{source}.{name}", rate, $"{source}.{name} must be a rate from 0 to 1.");
            }
        }
    }
}
