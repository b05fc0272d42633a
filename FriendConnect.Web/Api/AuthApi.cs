using FriendConnect.Domain.Users;
using FriendConnect.Web.Hosting;
using FriendConnect.Web.Auth;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FriendConnect.Web.Api;

public sealed record RegisterRequest(string? UserName, string? Email, string? DisplayName, string? Password);
public sealed record RegisterResponse(string UserName, string DisplayName);
/// <summary>With two-factor sign-in on, send the authenticator code or a recovery code along with the password.</summary>
public sealed record LoginRequest(string? Login, string? Password, string? TwoFactorCode = null, string? TwoFactorRecoveryCode = null);
public sealed record RefreshRequest(string? RefreshToken);

/// <summary>
/// Bearer tokens for scripts, issued by Identity's bearer-token handler. Registration and sign-in go through
/// AccountService so the API has the UI's rules (a username or an e-mail; sign in with either).
/// </summary>
public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth").AllowAnonymous();

        auth.MapPost("/register", async Task<Results<Ok<RegisterResponse>, ProblemHttpResult>> (
                RegisterRequest request, AccountService accounts, AccountEmails emails, HttpContext context) =>
            {
                if (string.IsNullOrEmpty(request.Password))
                    return DomainProblems.Field(nameof(request.Password), "Choose a password.", context);
                var result = await accounts.RegisterAsync(
                    new Registration(request.UserName, request.Email, request.DisplayName, request.Password, EmailRequired: emails.ConfirmationRequired));
                if (!result.Succeeded) return DomainProblems.For(result.Error!, context);
                if (emails.ConfirmationRequired)
                    await emails.SendConfirmationAsync(result.Value!);
                return TypedResults.Ok(new RegisterResponse(result.Value!.UserName!, result.Value.DisplayName));
            })
            .WithName("Register").WithSummary("Create an account with a username, an e-mail address, or both")
            .Fails(400);

        auth.MapPost("/login", async Task<Results<EmptyHttpResult, ProblemHttpResult>> (
                LoginRequest request, SignInFlow flow, SignInManager<User> signIn, HttpContext context) =>
            {
                if (string.IsNullOrWhiteSpace(request.Login))
                    return DomainProblems.Field(nameof(request.Login), "Enter your username or e-mail address.", context);
                if (string.IsNullOrEmpty(request.Password))
                    return DomainProblems.Field(nameof(request.Password), "Enter your password.", context);

                signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
                var attempt = await flow.SignInAsync(context, request.Login, request.Password, persistent: false,
                    request.TwoFactorCode, request.TwoFactorRecoveryCode);
                if (attempt.Succeeded) return TypedResults.Empty; // the bearer handler has written the tokens
                if (attempt.RetryAfter is { } wait)
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();
                var (status, title) = attempt.Outcome switch
                {
                    SignInOutcome.Limited => (StatusCodes.Status429TooManyRequests, "Too many sign-in attempts."),
                    SignInOutcome.Suspended => (StatusCodes.Status403Forbidden, "Suspended."),
                    SignInOutcome.EmailNotConfirmed => (StatusCodes.Status403Forbidden, "E-mail address not confirmed."),
                    SignInOutcome.TwoFactorRequired => (StatusCodes.Status401Unauthorized, "Two-factor code required."),
                    _ => (StatusCodes.Status401Unauthorized, "Sign-in failed."),
                };
                return TypedResults.Problem(detail: attempt.Message, statusCode: status, title: title);
            })
            .WithName("Login").WithSummary("Get an access token and a refresh token; limited per address and account (429 with Retry-After)")
            .Produces<AccessTokenResponse>()
            .Fails(400, 401, 403, 429);

        auth.MapPost("/refresh", async Task<Results<SignInHttpResult, ProblemHttpResult>> (
                RefreshRequest request, SignInManager<User> signIn, SessionValidator sessions,
                IOptionsMonitor<BearerTokenOptions> bearerOptions, TimeProvider clock, HttpContext context) =>
            {
                var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
                var ticket = string.IsNullOrEmpty(request.RefreshToken) ? null : protector.Unprotect(request.RefreshToken);
                if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires)
                    return TypedResults.Problem(detail: "The refresh token is invalid or has expired. Sign in again.", statusCode: 401, title: "Unauthorized.");
                // The session rule every cookie and access token meets: a new stamp, a suspension or a deletion ends it.
                if (await sessions.CheckAsync(ticket.Principal, context.RequestAborted) is { } refused
                    || await signIn.UserManager.GetUserAsync(ticket.Principal) is not { } user)
                    return TypedResults.Problem(detail: "The refresh token is no longer valid: this session has ended. Sign in again.", statusCode: 401, title: "Unauthorized.");
                var principal = await signIn.CreateUserPrincipalAsync(user);
                return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
            })
            .WithName("Refresh").WithSummary("Trade a refresh token for new tokens")
            .Produces<AccessTokenResponse>()
            .Fails(401);
    }
}
