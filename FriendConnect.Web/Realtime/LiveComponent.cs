using FriendConnect.Domain.Notifications;
using Microsoft.AspNetCore.Components;

namespace FriendConnect.Web.Realtime;

/// <summary>
/// A component that shows live changes. It listens to the circuit's <see cref="LiveSession"/> from its first
/// parameters until it is disposed, runs <see cref="OnLiveEventAsync"/> on the renderer for the changes it
/// <see cref="ListensTo"/>, re-renders after it, and hands a failure to the error boundary.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private IDisposable? _listener;

    [Inject] protected LiveSession Live { get; set; } = default!;

    /// <summary>The changes this component shows; other events never reach it.</summary>
    protected abstract LiveChange ListensTo { get; }

    protected abstract Task OnLiveEventAsync(LiveEvent liveEvent);

    /// <summary>False for a component whose handler renders nothing itself (the layout: re-rendering it re-renders the page).</summary>
    protected virtual bool RendersAfterLiveEvent => true;

    /// <summary>True for a component that should hear each event after the page has shown it (the layout's toast).</summary>
    protected virtual bool HearsLast => false;

    public override Task SetParametersAsync(ParameterView parameters)
    {
        _listener ??= Live.Listen(ReceiveAsync, HearsLast);
        return base.SetParametersAsync(parameters);
    }

    private Task ReceiveAsync(LiveEvent liveEvent) =>
        (liveEvent.Changes & ListensTo) == 0
            ? Task.CompletedTask
            : InvokeAsync(async () =>
            {
                try
                {
                    await OnLiveEventAsync(liveEvent);
                    if (RendersAfterLiveEvent) StateHasChanged();
                }
                catch (Exception ex)
                {
                    await DispatchExceptionAsync(ex);
                }
            });

    /// <summary>Shows one part's news as soon as it has it, without waiting for the slower parts of the same event.</summary>
    protected async Task RenderAfter(Task load)
    {
        await load;
        StateHasChanged();
    }

    public void Dispose()
    {
        _listener?.Dispose();
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }
}
