namespace FriendConnect.Web.Diagnostics;

/// <summary>
/// Endpoints that exist only for measurement (bench/). Off unless configuration sets "Bench:Enabled" to true.
/// </summary>
public static class BenchEndpoints
{
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>("Bench:Enabled");

    public static IHostApplicationBuilder AddBenchServices(this IHostApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration)) return builder;
        return builder;
    }

    public static WebApplication MapBenchEndpoints(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration)) return app;
        return app;
    }
}
