using System.Security;

namespace Ingestion.Core.Tests.Support;

internal static class Secrets
{
    public static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (var c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
