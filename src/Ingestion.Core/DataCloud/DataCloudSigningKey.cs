using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ingestion.Core.Errors;

namespace Ingestion.Core.DataCloud;

/// <summary>Loads the RSA key that signs the JWT assertion: from an unencrypted PEM file or a certificate's private key.</summary>
internal static class DataCloudSigningKey
{
    public static RSA Load(string? path, X509Certificate2? certificate)
    {
        if (path is null && certificate is null)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, Messages.DcKeyRequired);
        }

        if (path is not null && certificate is not null)
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, Messages.DcKeyBoth);
        }

        if (certificate is not null)
        {
            return certificate.GetRSAPrivateKey()
                ?? throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DcCertificateNoKey, certificate.Subject)) { Target = certificate };
        }

        if (!File.Exists(path))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DcKeyNotFound, path)) { Target = path };
        }

        var pem = File.ReadAllText(path!);
        return FromPem(pem, path!);
    }

    internal static RSA FromPem(string pem, string source)
    {
        if (pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal)
            || pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DcKeyEncrypted, source)) { Target = source };
        }

        var rsa = RSA.Create();
        try
        {
            // Handles both "BEGIN PRIVATE KEY" (PKCS#8) and "BEGIN RSA PRIVATE KEY" (PKCS#1).
            rsa.ImportFromPem(pem);
            // A public key imports too, but cannot sign: try it now rather than at the first login.
            rsa.ExportParameters(includePrivateParameters: true);
            return rsa;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            // The exception text names the PEM labels it saw, never the key material.
            throw new IngestionException(IngestErrorKind.InvalidArgument, string.Format(Messages.DcKeyUnreadable, source, ex.Message), ex) { Target = source };
        }
    }
}
