using System.Globalization;
using System.Text.Json.Nodes;

namespace Ingestion.Emulator.Faults;

/// <summary>
/// The two written forms of <see cref="FaultOptions"/>, from one table so they cannot drift apart:
/// the command line's <c>key=value,…</c> and the JSON object of the config file and <c>/emulator/faults</c>.
/// </summary>
internal static class FaultSettings
{
    private enum ValueKind
    {
        Rate,
        Seed,
        WholeSeconds,
        Duration,
        OptionalDuration,
        Path,
    }

    private sealed record Setting(
        string Key,
        string JsonKey,
        ValueKind Kind,
        Func<FaultOptions, object?> Get,
        Func<FaultOptions, object?, FaultOptions> With);

    private static readonly Setting[] Settings =
    [
        new("server-error", "serverErrorRate", ValueKind.Rate, o => o.ServerErrorRate, (o, v) => o with { ServerErrorRate = (double)v! }),
        new("throttle", "throttleRate", ValueKind.Rate, o => o.ThrottleRate, (o, v) => o with { ThrottleRate = (double)v! }),
        new("retry-after", "retryAfterSeconds", ValueKind.WholeSeconds, o => o.RetryAfterSeconds, (o, v) => o with { RetryAfterSeconds = (int)v! }),
        new("reset-request", "resetRequestRate", ValueKind.Rate, o => o.ResetRequestRate, (o, v) => o with { ResetRequestRate = (double)v! }),
        new("reset-response", "resetResponseRate", ValueKind.Rate, o => o.ResetResponseRate, (o, v) => o with { ResetResponseRate = (double)v! }),
        new("slow", "slowRate", ValueKind.Rate, o => o.SlowRate, (o, v) => o with { SlowRate = (double)v! }),
        new("slow-delay", "slowDelaySeconds", ValueKind.Duration, o => o.SlowDelay, (o, v) => o with { SlowDelay = (TimeSpan)v! }),
        new("lost", "lostResponseRate", ValueKind.Rate, o => o.LostResponseRate, (o, v) => o with { LostResponseRate = (double)v! }),
        new("token-lifetime", "tokenLifetimeSeconds", ValueKind.OptionalDuration, o => o.TokenLifetime, (o, v) => o with { TokenLifetime = (TimeSpan?)v }),
        new("path", "pathPrefix", ValueKind.Path, o => o.PathPrefix, (o, v) => o with { PathPrefix = (string?)v }),
        new("seed", "seed", ValueKind.Seed, o => o.Seed, (o, v) => o with { Seed = (int)v! }),
    ];

    public static string CommandLineKeys => string.Join(", ", Settings.Select(s => s.Key));

    public static string JsonKeys => string.Join(", ", Settings.Select(s => s.JsonKey));

    /// <summary>
    /// <c>server-error=0.1,throttle=0.05,retry-after=1,reset-request=0.01,reset-response=0.01,slow=0.01,slow-delay=15s,
    /// lost=0.01,token-lifetime=30s,path=/data/foundation/import,seed=42</c>. Durations take ms, s or m (bare numbers are seconds).
    /// </summary>
    public static FaultOptions ParseCommandLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var options = FaultOptions.None;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                throw new ArgumentException($"--faults: '{part}' is not key=value; keys: {CommandLineKeys}.");
            }

            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            var setting = Settings.FirstOrDefault(s => s.Key == key)
                ?? throw new ArgumentException($"--faults: unknown key '{key}'; keys: {CommandLineKeys}.");
            if (!seen.Add(key))
            {
                throw new ArgumentException($"--faults: {key} is given twice.");
            }

            options = setting.With(options, ParseText(setting, value));
        }

        try
        {
            options.Validate("Faults");
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"--faults: {ex.Message}", ex);
        }

        return options;
    }

    /// <summary>Reads the JSON form; throws <see cref="ArgumentException"/> naming <c>{source}.{key}</c>.</summary>
    public static FaultOptions FromJson(JsonObject json, string source)
    {
        var options = FaultOptions.None;
        foreach (var (key, node) in json)
        {
            var setting = Settings.FirstOrDefault(s => s.JsonKey == key)
                ?? throw new ArgumentException($"{source} has an unknown property '{key}'; expected {JsonKeys}.");
            options = setting.With(options, ReadJson(setting, node, $"{source}.{key}"));
        }

        options.Validate(source);
        return options;
    }

    /// <summary>Every setting, defaults included, so a reader sees the whole picture.</summary>
    public static JsonObject ToJson(FaultOptions options)
    {
        var json = new JsonObject();
        foreach (var setting in Settings)
        {
            json[setting.JsonKey] = setting.Get(options) switch
            {
                null => null,
                TimeSpan duration => JsonValue.Create(duration.TotalSeconds),
                double rate => JsonValue.Create(rate),
                int number => JsonValue.Create(number),
                string text => JsonValue.Create(text),
                var other => throw new InvalidOperationException($"No JSON form for {other.GetType()}."),
            };
        }

        return json;
    }

    public static string ToCommandLine(FaultOptions options)
    {
        var parts = new List<string>();
        foreach (var setting in Settings)
        {
            var value = setting.Get(options);
            if (Equals(value, setting.Get(FaultOptions.None)))
            {
                continue;
            }

            parts.Add(setting.Key + "=" + value switch
            {
                TimeSpan duration => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
                double rate => rate.ToString("R", CultureInfo.InvariantCulture),
                int number => number.ToString(CultureInfo.InvariantCulture),
                var other => other?.ToString() ?? "off",
            });
        }

        return string.Join(",", parts);
    }

    private static object? ParseText(Setting setting, string value)
    {
        switch (setting.Kind)
        {
            case ValueKind.Rate:
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1
                    ? rate
                    : throw new ArgumentException($"--faults: {setting.Key} must be a rate from 0 to 1, not '{value}'.");
            case ValueKind.Seed:
                return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
                    ? seed
                    : throw new ArgumentException($"--faults: {setting.Key} must be a whole number, not '{value}'.");
            case ValueKind.WholeSeconds:
                var seconds = Duration(setting, value);
                return seconds.Ticks % TimeSpan.TicksPerSecond == 0 && seconds.TotalSeconds <= int.MaxValue
                    ? (int)seconds.TotalSeconds
                    : throw new ArgumentException($"--faults: {setting.Key} must be whole seconds, not '{value}'.");
            case ValueKind.Duration:
                return Duration(setting, value);
            case ValueKind.OptionalDuration:
                if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                var lifetime = Duration(setting, value);
                return lifetime > TimeSpan.Zero
                    ? lifetime
                    : throw new ArgumentException($"--faults: {setting.Key} must be positive (or 'off'), not '{value}'.");
            case ValueKind.Path:
                return value.Length > 1 && value[0] == '/'
                    ? value
                    : throw new ArgumentException($"--faults: {setting.Key} must be a path starting with '/', not '{value}'.");
            default:
                throw new InvalidOperationException($"Unknown setting kind {setting.Kind}.");
        }
    }

    /// <summary><c>500ms</c>, <c>15s</c>, <c>2m</c>, or a bare number of seconds; never negative.</summary>
    private static TimeSpan Duration(Setting setting, string value)
    {
        var (number, unit) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (value[..^2], 0.001)
            : value.EndsWith('s') || value.EndsWith('S') ? (value[..^1], 1.0)
            : value.EndsWith('m') || value.EndsWith('M') ? (value[..^1], 60.0)
            : (value, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || double.IsInfinity(amount * unit) || amount * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new ArgumentException($"--faults: {setting.Key} must be a duration such as 500ms, 15s or 2m (not negative), not '{value}'.");
        }

        return TimeSpan.FromSeconds(amount * unit);
    }

    private static object? ReadJson(Setting setting, JsonNode? node, string name)
    {
        if (node is null)
        {
            return setting.Kind is ValueKind.OptionalDuration or ValueKind.Path
                ? null
                : throw new ArgumentException($"{name} must not be null.");
        }

        if (setting.Kind == ValueKind.Path)
        {
            return node is JsonValue text && text.TryGetValue<string>(out var path)
                ? path
                : throw new ArgumentException($"{name} must be a string such as \"/data/foundation/import\".");
        }

        if (node is not JsonValue value || !value.TryGetValue<double>(out var number))
        {
            throw new ArgumentException($"{name} must be a number.");
        }

        return setting.Kind switch
        {
            ValueKind.Rate => number is >= 0 and <= 1 ? number : throw new ArgumentException($"{name} must be a rate from 0 to 1, not {number}."),
            ValueKind.Seed => number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue
                ? (int)number
                : throw new ArgumentException($"{name} must be a whole number, not {number}."),
            ValueKind.WholeSeconds => number == Math.Floor(number) && number is >= 0 and <= int.MaxValue
                ? (int)number
                : throw new ArgumentException($"{name} must be whole seconds, not negative, not {number}."),
            ValueKind.Duration => number is >= 0 and <= 366 * 86400.0
                ? TimeSpan.FromSeconds(number)
                : throw new ArgumentException($"{name} must be seconds from 0 to a year, not {number}."),
            ValueKind.OptionalDuration => number is > 0 and <= 366 * 86400.0
                ? TimeSpan.FromSeconds(number)
                : throw new ArgumentException($"{name} must be positive seconds up to a year (or null to turn it off), not {number}."),
            _ => throw new InvalidOperationException($"Unknown setting kind {setting.Kind}."),
        };
    }
}
