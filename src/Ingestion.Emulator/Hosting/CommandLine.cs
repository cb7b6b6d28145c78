using System.Globalization;

namespace Ingestion.Emulator.Hosting;

/// <summary>The executable's arguments.</summary>
internal sealed record CommandLine(EmulatorOptions Options, string? LogFile, bool Detached, bool Help)
{
    public const string Usage = """
        Ingestion.Emulator - a local emulator of Adobe Experience Platform batch ingestion
        (IMS tokens, Batch Ingestion, Catalog and a small Schema Registry) and of Adobe Campaign
        Standard's XDM mapping ingestion (/{tenant}/campaign/dataIngestion/xdmIngestion/...) and of a
        Salesforce Data Cloud org (JWT bearer login /services/oauth2/token, token exchange
        /services/a360/token, Ingestion API bulk jobs and streaming under /api/v1/ingest) on 127.0.0.1.

        Usage: Ingestion.Emulator [options]

          --port N                   Port on 127.0.0.1 (default 0: pick a free one).
          --data-dir PATH            Where datasets, schemas and batches are kept
                                     (default: a per-user folder, Ingestion/emulator under local app data).
          --config PATH              JSON config with credentials, schemas, datasets, faults and Campaign
                                     tenants and XDM mappings ("campaign"; built in: tenant "emulator" with
                                     mappings demo-profiles, demo-not-stopped, demo-not-published,
                                     demo-db-failure, demo-upload-failure, demo-aborted)
                                     and Data Cloud ("dataCloud": sources with objects and fields, more
                                     connected apps with their public keys, tokenLifetimeSeconds; built in:
                                     source emulator_connector with objects orders and customers)
                                     (default: <data-dir>/emulator.config.json when it exists).
          --token-lifetime SECONDS   Lifetime of issued access tokens (default 86399).
          --processing-delay MS      Time from a batch's COMPLETE (or a Data Cloud job's UploadComplete) to its
                                     final state (default 1000).
          --log-file PATH            After the ready line, write log lines to PATH instead of stdout.
          --faults SPEC              Inject faults, e.g. "server-error=0.1,throttle=0.05,seed=42" (default: the
                                     config file's "faults", else none). Keys, comma separated:
                                       server-error=RATE    500/502/503 answers
                                       throttle=RATE        429 answers with Retry-After
                                       retry-after=SECONDS  their Retry-After (default 1; 0 allowed)
                                       reset-request=RATE   connection reset after part of the request body
                                       reset-response=RATE  connection reset after the headers and part of the answer
                                       slow=RATE            answers held back by slow-delay first
                                       slow-delay=DURATION  (default 15s)
                                       lost=RATE            request performed, then the connection dropped unanswered
                                       token-lifetime=DURATION|off  tokens refused (401) this long after issue
                                       path=PREFIX          fault only paths under PREFIX (e.g. /data/foundation/import)
                                       seed=N               PRNG seed (default 0)
                                     RATE is 0 to 1 (0: off); DURATION is 500ms, 15s, 2m or bare seconds. Faults are
                                     drawn from the seeded PRNG in request-arrival order: the same seed and the same
                                     sequential requests give the same faults. /emulator/* is never faulted (but
                                     /emulator/campaign/*, the built-in Campaign tenant, is); IMS is.
                                     GET/PUT /emulator/faults reads and replaces them while running (JSON, with counters).
          --detached                 Ignore Ctrl+C and the terminal closing; stop only on SIGTERM (for launchers).
          --help                     Show this text.

        When ready, one JSON line starting with {"event":"ready"} is printed to stdout with the endpoint and
        the credentials to use (Data Cloud: clientId is the consumer key, plus userName, privateKeyPath and
        loginUrl; the key pair is made on first start in <data-dir>/datacloud); log lines follow. Ctrl+C or SIGTERM stops the emulator.
        Exit codes: 0 stopped, 1 could not start, 2 bad arguments.
        """;

    /// <summary>Parses <c>--name value</c> and <c>--name=value</c>; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        // Unset options keep EmulatorOptions' defaults, the one place they are written down.
        var defaults = new EmulatorOptions();
        var port = defaults.Port;
        string? dataDirectory = null;
        string? config = null;
        string? logFile = null;
        var tokenLifetime = defaults.TokenLifetime;
        var processingDelay = defaults.ProcessingDelay;
        var detached = false;
        FaultOptions? faults = null;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var equals = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inline = arg[(equals + 1)..];
                arg = arg[..equals];
            }

            switch (arg)
            {
                case "--help" or "-h" or "-?":
                    return new CommandLine(new EmulatorOptions(), null, false, Help: true);
                case "--port":
                    port = ParseInt(arg, Value(), 0, 65535);
                    break;
                case "--data-dir":
                    dataDirectory = NonEmpty(arg, Value());
                    break;
                case "--config":
                    config = NonEmpty(arg, Value());
                    break;
                case "--log-file":
                    logFile = NonEmpty(arg, Value());
                    break;
                case "--token-lifetime":
                    tokenLifetime = TimeSpan.FromSeconds(ParseInt(arg, Value(), 1, int.MaxValue));
                    break;
                case "--processing-delay":
                    processingDelay = TimeSpan.FromMilliseconds(ParseInt(arg, Value(), 0, int.MaxValue));
                    break;
                case "--faults":
                    faults = FaultOptions.Parse(Value());
                    break;
                case "--detached":
                    detached = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"{arg} needs a value.");
                }

                return args[++i];
            }
        }

        var options = new EmulatorOptions
        {
            Port = port,
            DataDirectory = dataDirectory ?? defaults.DataDirectory,
            ConfigPath = config,
            TokenLifetime = tokenLifetime,
            ProcessingDelay = processingDelay,
            Faults = faults,
        };
        return new CommandLine(options, logFile, detached, Help: false);
    }

    private static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'.");

    private static string NonEmpty(string name, string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new ArgumentException($"{name} must not be empty.") : text;
}
