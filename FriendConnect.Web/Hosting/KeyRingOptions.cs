using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Hosting;

/// <summary>
/// Configuration section "DataProtection": the certificate that encrypts the Data Protection key ring at rest, in Redis
/// with several nodes or in the data directory on one machine. Required in Production when the ring is in Redis, which
/// other clients of that Redis could otherwise read (docs/decisions/016).
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>A PKCS#12 file (.pfx) with an RSA certificate and its private key, the same on every node.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificatePath);

    public static KeyRingOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();

    public X509Certificate2 LoadCertificate() => X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword);

    /// <summary>The certificate, or null when there is none or it cannot be read (<see cref="KeyRingValidator"/> then stops the app).</summary>
    public X509Certificate2? TryLoadCertificate()
    {
        if (!HasCertificate) return null;
        try
        {
            var certificate = LoadCertificate();
            using (var key = certificate.GetRSAPrivateKey())
                if (key is not null) return certificate;
            certificate.Dispose();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException) { }
        return null;
    }
}

/// <summary>Names the key when the certificate is required and missing, or cannot be read with its private key.</summary>
public sealed class KeyRingValidator(bool certificateRequired) : IValidateOptions<KeyRingOptions>
{
    private const string PathKey = KeyRingOptions.SectionName + ":" + nameof(KeyRingOptions.CertificatePath);

    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        if (!options.HasCertificate)
            return certificateRequired
                ? ValidateOptionsResult.Fail($"{PathKey}: the Data Protection keys are kept in Redis, shared by every node: set a certificate " +
                    "(.pfx, with DataProtection:CertificatePassword) that encrypts them there, the same on every node.")
                : ValidateOptionsResult.Success;
        try
        {
            using var certificate = options.LoadCertificate();
            using var key = certificate.GetRSAPrivateKey();
            return key is null
                ? ValidateOptionsResult.Fail($"{PathKey}: {options.CertificatePath} has no RSA private key; the key ring needs one to be read back.")
                : ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"{PathKey}: {options.CertificatePath} could not be read as a certificate with its private key " +
                $"({e.Message}). Check the file, its permissions and DataProtection:CertificatePassword.");
        }
    }
}
