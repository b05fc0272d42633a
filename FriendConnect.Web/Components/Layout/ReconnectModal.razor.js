// Set up event handlers
const reconnectModal = document.getElementById("components-reconnect-modal");
reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
resumeButton.addEventListener("click", resume);

function handleReconnectStateChanged(event) {
    if (event.detail.state === "show") {
        reconnectModal.showModal();
    } else if (event.detail.state === "hide") {
        reconnectModal.close();
    } else if (event.detail.state === "failed") {
        // The server was out of reach for every attempt (a node restarting, or every node down for a moment): keep
        // trying while the page is visible, so the page comes back by itself once a node answers.
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
        scheduleRetry();
    } else if (event.detail.state === "rejected") {
        // A node answered but does not hold this circuit (its node died, or it was evicted): resume it from the
        // shared store when it was persisted there, otherwise reload, which signs in again from the cookie.
        resumeOrReload();
    }
}

let retryTimer = null;

function scheduleRetry() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(async () => {
        if (document.visibilityState === "visible" && reconnectModal.open) {
            await retry();
        }
        if (reconnectModal.open) {
            scheduleRetry();
        }
    }, 5000);
}

async function resumeOrReload() {
    try {
        const noAnswer = new Promise(resolve => setTimeout(() => resolve(false), 5000));
        if (await Promise.race([Blazor.resumeCircuit(), noAnswer])) {
            reconnectModal.close();
            return;
        }
    } catch {
        // Fall through: a reload always works.
    }
    location.reload();
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);

    try {
        // Reconnect will asynchronously return:
        // - true to mean success
        // - false to mean we reached the server, but it rejected the connection (e.g., unknown circuit ID)
        // - exception to mean we didn't reach the server (this can be sync or async)
        const successful = await Blazor.reconnect();
        if (!successful) {
            // We reached a server, but it does not hold the circuit.
            await resumeOrReload();
        } else {
            clearTimeout(retryTimer);
        }
    } catch (err) {
        // We got an exception, server is currently unavailable
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    }
}

async function resume() {
    try {
        const successful = await Blazor.resumeCircuit();
        if (!successful) {
            location.reload();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
