using System.Globalization;
using System.Security;
using Ingestion.Core.Models;
using Ingestion.Core.Sessions;

// Uploads one file as a chunked large-file upload with ThrottleLimit 1, each PATCH held back by a delay, so a
// test can kill the process while chunks are confirmed in the journal:
//   Ingestion.UploadProbe <endpoint> <clientId> <clientSecret> <orgId> <sandbox> <batchId> <datasetId> <file> <remoteName> <journalFolder> <chunkSize> <patchDelayMs>
if (args.Length != 12)
{
    Console.Error.WriteLine("usage: Ingestion.UploadProbe <endpoint> <clientId> <clientSecret> <orgId> <sandbox> <batchId> <datasetId> <file> <remoteName> <journalFolder> <chunkSize> <patchDelayMs>");
    return 2;
}

var secret = new SecureString();
foreach (var c in args[2])
{
    secret.AppendChar(c);
}

secret.MakeReadOnly();
using var handler = new DelayingHandler(TimeSpan.FromMilliseconds(int.Parse(args[11], CultureInfo.InvariantCulture)));
using var session = await IngestSession.ConnectAsync(
    new AepConnectionOptions
    {
        PlatformEndpoint = new Uri(args[0]),
        ClientId = args[1],
        ClientSecret = secret,
        OrganizationId = args[3],
        Sandbox = args[4],
        PrimaryHandler = handler,
    },
    CancellationToken.None);
Console.Out.WriteLine("connected");
Console.Out.Flush();
await session.Batches.UploadFileAsync(
    args[5],
    args[6],
    args[7],
    args[8],
    new UploadOptions { ChunkThreshold = 0, ChunkSize = long.Parse(args[10], CultureInfo.InvariantCulture), ThrottleLimit = 1, JournalFolder = args[9] },
    null,
    CancellationToken.None);
Console.Out.WriteLine("uploaded");
return 0;

internal sealed class DelayingHandler(TimeSpan delay) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Patch)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
