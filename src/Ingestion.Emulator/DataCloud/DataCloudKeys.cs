using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ingestion.Emulator.DataCloud;

/// <summary>
/// The built-in connected app's RSA 2048 key pair, created on first start and kept in
/// <c>&lt;data-dir&gt;/datacloud/emulator-private-key.pem</c> (PKCS#8 PEM, mode 600 on Unix) so clients can sign
/// their JWT assertions with it; the login endpoint verifies them with its public half.
/// </summary>
internal static class DataCloudKeys
{
    public const string PrivateKeyFileName = "emulator-private-key.pem";

    public static RSA LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            try
            {
                var existing = RSA.Create();
                existing.ImportFromPem(File.ReadAllText(path));
                return existing;
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                throw new EmulatorStartException($"The emulator's Data Cloud key '{path}' cannot be read ({ex.Message}); delete it to have a new one made.", ex);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var rsa = RSA.Create(2048);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
            writer.Write('\n');
        }

        File.Move(temp, path, overwrite: true);
        return rsa;
    }

    /// <summary>A <c>PUBLIC KEY</c>, <c>RSA PUBLIC KEY</c> or <c>CERTIFICATE</c> PEM (what a connected app is given).</summary>
    public static RSA PublicKeyFromPem(string pem)
    {
        if (pem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return certificate.GetRSAPublicKey() ?? throw new ArgumentException("The certificate's key is not RSA.");
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }
}
