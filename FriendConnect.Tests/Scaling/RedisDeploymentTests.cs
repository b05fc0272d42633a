using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FriendConnect.Domain.Notifications;
using FriendConnect.Domain.Presence;
using FriendConnect.Web.Auth;
using FriendConnect.Web.Scaling;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace FriendConnect.Tests.Scaling;

/// <summary>
/// Redis set up as deploy/two-nodes/redis.conf says (TLS only, no default user, the nodes' ACL user limited to the app's
/// keys and channels), with a certificate from a CA made here; its addresses and files are moved to the test's own.
/// A node configured as README's two-node section says uses everything it shares there.
/// </summary>
public sealed class RedisDeploymentTests : IAsyncLifetime
{
    private const string Password = "a-long-random-secret-for-the-test";
    private RedisServer _redis = default!;
    private string _authority = default!;
    private readonly List<IHost> _nodes = [];

    public async Task InitializeAsync()
    {
        var deployed = await File.ReadAllTextAsync(Path.Combine(Hosting.PublishedApp.RepositoryRoot, "deploy", "two-nodes", "redis.conf"));
        _redis = await RedisServer.StartWithConfigurationAsync((directory, port) =>
        {
            var tls = Path.Combine(directory, "tls");
            _authority = WriteCertificates(tls);
            return deployed
                .Replace("bind 10.0.0.5 127.0.0.1", "bind 127.0.0.1")
                .Replace("tls-port 6379", $"tls-port {port}")
                .Replace("/etc/redis/tls/", tls + "/")
                .Replace(">change-me", ">" + Password);
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.Services.GetRequiredService<RedisLiveEvents>().StopAsync(CancellationToken.None);
            node.Dispose();
        }
        await _redis.DisposeAsync();
    }

    private string ConnectionString(string user) => $"127.0.0.1:{_redis.Port},ssl=true,user={user},password={Password}";

    [Fact]
    public async Task A_node_uses_everything_it_shares_over_tls_as_its_own_user_and_nothing_else()
    {
        var (one, two) = (await StartNodeAsync("node1"), await StartNodeAsync("node2"));

        // Live events cross from one node to the other.
        var received = new ConcurrentQueue<LiveEvent>();
        using var _ = two.GetRequiredService<ILiveEventSubscriber>().Subscribe("pat", e => { received.Enqueue(e); return Task.CompletedTask; });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (received.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "No live event crossed between the nodes.");
            await one.GetRequiredService<ILiveEventPublisher>().PublishAsync(["pat"], new LiveEvent(LiveChange.Feed, "hello"));
            await Task.Delay(100);
        }

        // Presence, sign-in counts, the key ring, circuits' cache and visitors' cached reads.
        Assert.True(await one.GetRequiredService<IPresenceShare>().JoinAsync("pat"));
        Assert.True(two.GetRequiredService<IPresenceShare>().IsOnlineAnywhere("pat"));
        one.GetRequiredService<ISharedSignInCounts>().Add("203.0.113.9", TimeSpan.FromMinutes(1));
        Assert.Equal(1, two.GetRequiredService<ISharedSignInCounts>().Read("203.0.113.9").Failures);
        var token = one.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("opens on both");
        Assert.Equal("opens on both", two.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(token));
        await one.GetRequiredService<IDistributedCache>().SetStringAsync("circuit", "state");
        Assert.Equal("state", await two.GetRequiredService<IDistributedCache>().GetStringAsync("circuit"));
        var store = one.GetRequiredService<IOutputCacheStore>();
        await store.SetAsync("page", [1, 2, 3], ["users"], TimeSpan.FromMinutes(1), default);
        await two.GetRequiredService<IOutputCacheStore>().EvictByTagAsync("users", default);
        Assert.Null(await store.GetAsync("page", default));

        // The same user reaches nothing beyond the app's keys, and no command that reconfigures or flushes the server.
        using var client = await ConnectAsync(ConnectionString("friendconnect") + ",allowAdmin=true");
        var db = client.GetDatabase();
        Assert.Contains("NOPERM", (await Assert.ThrowsAsync<RedisServerException>(() => db.StringSetAsync("other-app:key", "x"))).Message);
        Assert.Contains("NOPERM", (await Assert.ThrowsAsync<RedisServerException>(() => db.ExecuteAsync("FLUSHALL"))).Message);
        Assert.Contains("NOPERM", (await Assert.ThrowsAsync<RedisServerException>(() => db.ExecuteAsync("CONFIG", "SET", "appendonly", "no"))).Message);
    }

    [Fact]
    public async Task Without_a_user_and_password_or_without_tls_nothing_is_served()
    {
        using var anonymous = await ConnectAsync($"127.0.0.1:{_redis.Port},ssl=true");
        Assert.ThrowsAny<RedisException>(() => anonymous.GetDatabase().StringGet("friendconnect:data-protection-keys"));

        using var plain = await ConnectAsync($"127.0.0.1:{_redis.Port},user=friendconnect,password={Password}", tls: false);
        Assert.False(plain.IsConnected);
    }

    private async Task<IServiceProvider> StartNodeAsync(string name)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Realtime:Redis"] = ConnectionString("friendconnect"),
            ["Realtime:RedisCertificateAuthority"] = _authority,
            ["Realtime:Node"] = name,
            ["Realtime:SigningKey"] = "the nodes' shared secret, 32 characters or more",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDataProtection().SetApplicationName("FriendConnect").PersistKeysToRedis();
        builder.AddFriendConnectScaling();
        var host = builder.Build();
        _nodes.Add(host);
        // Only the live events' subscription: the rest of the node's background work belongs to the whole app.
        await host.Services.GetRequiredService<RedisLiveEvents>().StartAsync(CancellationToken.None);
        return host.Services;
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(string connectionString, bool tls = true)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 3000;
        if (tls) options.TrustIssuer(_authority);
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>A CA and a certificate it issued for 127.0.0.1, as the README's openssl commands make them; returns the CA's file.</summary>
    private static string WriteCertificates(string directory)
    {
        Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow;
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=FriendConnect Redis CA (test)", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(8));

        File.WriteAllText(Path.Combine(directory, "ca.crt"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "redis.crt"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "redis.key"), serverKey.ExportPkcs8PrivateKeyPem());
        return Path.Combine(directory, "ca.crt");
    }
}
