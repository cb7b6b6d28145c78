namespace Ingestion.Emulator;

/// <summary>
/// The one integration the emulator knows. These values are not secret: the emulator only listens on
/// the loopback interface and exists so people can try ingestion without an Adobe account.
/// </summary>
public sealed record EmulatorCredentials(string ClientId, string ClientSecret, string OrganizationId, string Sandbox)
{
    public static EmulatorCredentials Default { get; } =
        new("ingestion-emulator", "emulator-secret", "EMULATORORG@AdobeOrg", "prod");

    internal void Validate(string source)
    {
        Require(ClientId, "clientId");
        Require(ClientSecret, "clientSecret");
        Require(OrganizationId, "organizationId");
        Require(Sandbox, "sandbox");

        void Require(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{source}: credentials.{name} must not be empty.");
            }
        }
    }
}
