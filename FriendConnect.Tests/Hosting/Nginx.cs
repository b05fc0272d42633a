using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FriendConnect.Tests.Hosting;

/// <summary>
/// nginx in front of the app with the repository's own site file (deploy/nginx), moved onto loopback ports with a
/// self-signed certificate made here. Everything else in the site file is used as written.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private Nginx(Process process, string directory, int httpPort, int httpsPort)
    {
        _process = process;
        _directory = directory;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
    }

    /// <summary>The master process; its workers are its children.</summary>
    public int ProcessId => _process.Id;

    public int HttpPort { get; }
    public int HttpsPort { get; }
    /// <summary>A real-looking host name (HSTS, for one, is never sent to "localhost"); clients resolve it to loopback.</summary>
    public const string HostName = "friendconnect.test";

    public string HttpsUrl => $"https://{HostName}:{HttpsPort}";
    public string HttpUrl => $"http://{HostName}:{HttpPort}";

    /// <summary>For Chromium: resolve <see cref="HostName"/> to loopback.</summary>
    public static string HostResolverRule => $"--host-resolver-rules=MAP {HostName} 127.0.0.1";

    public static string? Executable => new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);

    public static Task<Nginx> StartAsync(int appPort) =>
        StartAsync("friendconnect.conf", new Dictionary<string, string> { ["server 127.0.0.1:5180;"] = $"server 127.0.0.1:{appPort};" });

    /// <summary>nginx with one of deploy/nginx's site files, its app addresses replaced by loopback ones.</summary>
    public static async Task<Nginx> StartAsync(string siteFile, IReadOnlyDictionary<string, string> appAddresses)
    {
        var nginx = Executable ?? throw new InvalidOperationException("nginx is not installed (Debian: apt-get install nginx).");
        var directory = Path.Combine(Path.GetTempPath(), $"fc-nginx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var (certificate, key) = WriteSelfSignedCertificate(directory);
        var httpPort = PublishedApp.FreePort();
        var httpsPort = PublishedApp.FreePort();

        var deploy = Path.Combine(PublishedApp.RepositoryRoot, "deploy", "nginx");
        var site = (await File.ReadAllTextAsync(Path.Combine(deploy, siteFile)))
            .Replace("listen [::]:80;", "")
            .Replace("listen [::]:443 ssl http2;", "")
            .Replace("listen [::]:80 default_server;", "")
            .Replace("listen [::]:443 ssl http2 default_server;", "")
            .Replace("listen 80;", $"listen 127.0.0.1:{httpPort};")
            .Replace("listen 443 ssl http2;", $"listen 127.0.0.1:{httpsPort} ssl http2;")
            .Replace("listen 80 default_server;", $"listen 127.0.0.1:{httpPort} default_server;")
            .Replace("listen 443 ssl http2 default_server;", $"listen 127.0.0.1:{httpsPort} ssl http2 default_server;")
            .Replace("friendconnect.example.org;", HostName + ";")
            .Replace("/etc/letsencrypt/live/friendconnect.example.org/fullchain.pem", certificate)
            .Replace("/etc/letsencrypt/live/friendconnect.example.org/privkey.pem", key)
            .Replace("include snippets/friendconnect-proxy.conf;", $"include {Path.Combine(deploy, "friendconnect-proxy.conf")};");
        foreach (var (address, loopback) in appAddresses) site = site.Replace(address, loopback);
        await File.WriteAllTextAsync(Path.Combine(directory, "site.conf"), site);
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
            worker_processes 1;
            error_log {{directory}}/error.log warn;
            pid {{directory}}/nginx.pid;
            events { worker_connections 1024; }
            http {
                include /etc/nginx/mime.types;
                access_log {{directory}}/access.log;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{directory}}/site.conf;
            }
            """);

        var start = new ProcessStartInfo(nginx) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var proxy = new Nginx(process, directory, httpPort, httpsPort);
        await proxy.WaitListeningAsync();
        return proxy;
    }

    private async Task WaitListeningAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", HttpsPort);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException("nginx did not start listening.");
    }

    /// <summary>A client for the site's https address that trusts its self-signed certificate and does not follow redirects.</summary>
    public HttpClient CreateClient() => new(CreateHandler()) { BaseAddress = new Uri(HttpsUrl), Timeout = TimeSpan.FromSeconds(30) };

    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, context.DnsEndPoint.Port, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        },
    };

    private static (string Certificate, string Key) WriteSelfSignedCertificate(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={HostName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
