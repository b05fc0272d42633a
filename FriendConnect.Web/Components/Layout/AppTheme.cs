using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace FriendConnect.Web.Components.Layout;

/// <summary>
/// The app's colours. Every colour that carries text has a contrast text colour, and every text colour is at least
/// 4.5:1 on the backgrounds it is drawn on (WCAG AA): dark text on the light accents of the dark theme, white on
/// the deeper accents of the light one.
/// </summary>
public static class AppTheme
{
    /// <summary>The cookie that keeps the light/dark choice, so the server renders the right theme from the first byte.</summary>
    public const string CookieName = "fc-theme";

    public static bool IsDark(string? cookieValue) => cookieValue == "dark";

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4f46e5",
            PrimaryContrastText = "#ffffff",
            Secondary = "#b45309",
            SecondaryContrastText = "#ffffff",
            Tertiary = "#0f766e",
            TertiaryContrastText = "#ffffff",
            Info = "#0369a1",
            InfoContrastText = "#ffffff",
            Success = "#15803d",
            SuccessContrastText = "#ffffff",
            Warning = "#b45309",
            WarningContrastText = "#ffffff",
            Error = "#c62828",
            ErrorContrastText = "#ffffff",
            AppbarBackground = "#4f46e5",
            AppbarText = "#ffffff",
            Background = "#f6f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#1f2937",
            DrawerIcon = "#4b5563",
            TextPrimary = "#1f2937",
            TextSecondary = "#4b5563",
            ActionDefault = "#4b5563",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a5b4fc",
            PrimaryContrastText = "#111827",
            // Hovered and pressed filled buttons: lighter, not darker, so the dark label keeps its contrast.
            PrimaryDarken = "#c7d2fe",
            Secondary = "#fbbf24",
            SecondaryContrastText = "#111827",
            Tertiary = "#5eead4",
            TertiaryContrastText = "#042f2e",
            Info = "#7dd3fc",
            InfoContrastText = "#082f49",
            Success = "#4ade80",
            SuccessContrastText = "#052e16",
            Warning = "#fbbf24",
            WarningContrastText = "#111827",
            Error = "#fca5a5",
            ErrorContrastText = "#111827",
            AppbarBackground = "#1f2030",
            AppbarText = "#f3f4f6",
            Background = "#17181f",
            Surface = "#23242f",
            DrawerBackground = "#1f2030",
            DrawerText = "#e5e7eb",
            DrawerIcon = "#c4c7d0",
            TextPrimary = "#e5e7eb",
            TextSecondary = "#b4b8c5",
            ActionDefault = "#c4c7d0",
            LinesDefault = "rgba(255,255,255,0.16)",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };

    private static readonly ConcurrentDictionary<bool, Lazy<Task<string>>> Styles = new();

    /// <summary>
    /// The style sheet <see cref="MudThemeProvider"/> renders for this theme, rendered once per mode and shared by every
    /// page. A MudThemeProvider in the layout would build its 12,000-character style again for every circuit and keep it.
    /// </summary>
    public static Task<string> StylesAsync(bool dark, IServiceProvider services) =>
        Styles.GetOrAdd(dark, _ => new Lazy<Task<string>>(() => RenderStylesAsync(dark, services))).Value;

    private static async Task<string> RenderStylesAsync(bool dark, IServiceProvider services)
    {
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var html = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
            }));
            return html.ToHtmlString();
        });
    }
}
