using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FriendConnect.Web.Scaling;

/// <summary>
/// Redis away is "Degraded", never "Unhealthy": the node still serves every request and loses no write, so the proxy
/// keeps sending it traffic, while <c>/health/ready</c> tells the operator that live events stop at the node.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Redis is unreachable: live events reach only this node's pages until it returns."));
}
