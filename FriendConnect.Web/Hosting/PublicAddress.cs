using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Hosting;

/// <summary>The address people use to reach this server. Every absolute link the server sends out is built from it.</summary>
public sealed class PublicAddressOptions : IValidatableObject
{
    public const string SectionName = "App";

    /// <summary>For example <c>https://friendconnect.example.org</c>. Required in Production.</summary>
    public string? PublicUrl { get; set; }

    internal bool Required { get; set; }

    public Uri? Parsed => Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) ? uri : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(PublicUrl))
        {
            if (Required)
                yield return new("Set the address people use to reach this server, e.g. https://friendconnect.example.org: "
                    + "links in e-mails are built from it.", [nameof(PublicUrl)]);
            yield break;
        }
        var uri = Parsed;
        if (uri is null || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            yield return new($"'{PublicUrl}' is not an http:// or https:// address such as https://friendconnect.example.org.", [nameof(PublicUrl)]);
        else if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            yield return new($"'{PublicUrl}' must be a plain address, without a query, a fragment or a user name.", [nameof(PublicUrl)]);
    }

    /// <summary>
    /// Settings for the address, and for the hosts the server answers: unless <c>AllowedHosts</c> is set, only the public
    /// address's host and loopback (for health checks on the machine itself); any other Host gets 400.
    /// </summary>
    public static void AddTo(IHostApplicationBuilder builder)
    {
        var required = builder.Environment.IsProduction();
        FriendConnectHosting.AddSettings<PublicAddressOptions>(builder.Services, SectionName);
        builder.Services.PostConfigure<PublicAddressOptions>(o => o.Required = required);
        builder.Services.AddSingleton<PublicLinks>();

        var configuredHosts = builder.Configuration["AllowedHosts"];
        var publicHost = builder.Configuration.GetSection(SectionName).Get<PublicAddressOptions>()?.Parsed?.IdnHost;
        if (string.IsNullOrEmpty(configuredHosts) && publicHost is not null)
            builder.Services.PostConfigure<HostFilteringOptions>(o =>
                o.AllowedHosts = [publicHost, "localhost", "127.0.0.1", "[::1]"]);
    }
}

/// <summary>
/// Absolute links for e-mails and notifications, from <c>App:PublicUrl</c> and never from a request. Outside Production
/// the address may be left out; the server's own listening address stands in for it.
/// </summary>
public sealed class PublicLinks(IOptions<PublicAddressOptions> options, IServer server)
{
    public Uri Base => options.Value.Parsed is { } configured ? WithSlash(configured) : WithSlash(ListeningAddress());

    /// <summary>An absolute link to an app path such as <c>Account/ResetPassword</c>, with its query.</summary>
    public string To(string path, IReadOnlyDictionary<string, string?>? query = null)
    {
        var link = new Uri(Base, path.TrimStart('/')).AbsoluteUri;
        return query is null ? link : QueryHelpers.AddQueryString(link, query);
    }

    private Uri ListeningAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return new Uri("http://localhost/");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "localhost";
        return uri.Uri;
    }

    private static Uri WithSlash(Uri uri) => uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
