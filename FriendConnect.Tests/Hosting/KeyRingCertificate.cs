using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FriendConnect.Tests.Hosting;

/// <summary>A throw-away certificate for encrypting the Data Protection key ring, written as the .pfx an operator makes.</summary>
public static class KeyRingCertificate
{
    public const string Password = "key-ring-test-password";

    /// <summary>The settings that point a node at a new certificate in <paramref name="directory"/>.</summary>
    public static Dictionary<string, string> Settings(string directory) => new()
    {
        ["DataProtection__CertificatePath"] = Write(directory),
        ["DataProtection__CertificatePassword"] = Password,
    };

    public static string Write(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=FriendConnect key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "keyring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return path;
    }
}
