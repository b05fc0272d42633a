// Small browser helpers the app calls through JS interop; no page relies on inline script.
(() => {
    const themeCookie = "fc-theme";

    const readCookie = (name) => {
        const entry = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
        return entry ? decodeURIComponent(entry.substring(name.length + 1)) : null;
    };

    const writeTheme = (value) => {
        document.cookie = `${themeCookie}=${value}; path=/; max-age=31536000; samesite=lax`;
    };

    const focusables = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

    window.friendConnect = {
        getTheme: () => readCookie(themeCookie),
        setTheme: (value) => writeTheme(value),
        submitForm: (id) => document.getElementById(id)?.requestSubmit(),
        /** Focuses the first control inside the first element matching the selector; true if it found one. */
        focusFirstIn: (selector) => {
            const target = document.querySelector(selector)?.querySelector(focusables);
            if (!target) return false;
            target.focus();
            return true;
        },
        /** Focuses the first control inside an element the component holds a reference to. */
        focusFirstWithin: (element) => {
            const target = element?.querySelector(focusables);
            if (!target) return false;
            target.focus();
            return true;
        },
        focus: (selector) => document.querySelector(selector)?.focus(),
        /**
         * Focuses the element and keeps it focused for a few frames while a dialog's focus trap settles on one of its
         * own sentinels; a control the user has moved to in the meantime keeps its focus.
         */
        focusInDialog: (selector) => {
            const until = performance.now() + 600;
            const step = () => {
                const target = document.querySelector(selector);
                const active = document.activeElement;
                const unsettled = !active || active === document.body || active.matches(".mud-focus-trap, .mud-focus-trap > [tabindex]");
                if (target && unsettled) target.focus();
                if (performance.now() < until) requestAnimationFrame(step);
            };
            step();
        },
    };

    // The drawer, on every page: open on wide screens, closed on phones, until the person chooses. No circuit keeps it.
    const wide = matchMedia("(min-width: 960px)");
    let drawerChoice = null;
    const drawerIsOpen = () => document.querySelector("[data-drawer]")?.classList.contains("mud-drawer--open") ?? false;
    const showDrawer = () => {
        const drawer = document.querySelector("[data-drawer]");
        if (!drawer) return;
        const open = drawerChoice ?? wide.matches;
        drawer.classList.toggle("mud-drawer--open", open);
        drawer.classList.toggle("mud-drawer--closed", !open);
        drawer.closest(".mud-layout")?.classList.toggle("mud-drawer-open-responsive-md-left", open);
        document.querySelector("[data-drawer-toggle]")?.setAttribute("aria-expanded", String(open));
    };
    wide.addEventListener("change", () => { drawerChoice = null; showDrawer(); });
    showDrawer();
    // Enhanced navigation patches the page with the server's markup, which always says "open".
    window.Blazor?.addEventListener?.("enhancedload", showDrawer);
    // An interactive page's first render replaces the prerendered drawer; the layout calls this once it has.
    window.friendConnect.showDrawer = showDrawer;

    // Capture phase: handled before the router sees the link, which would otherwise resolve "#main-content" against <base>.
    window.addEventListener("click", (event) => {
        const skip = event.target.closest?.(".skip-link");
        if (skip) {
            event.preventDefault();
            event.stopPropagation();
            const main = document.getElementById("main-content");
            main?.focus();
            main?.scrollIntoView();
            return;
        }
        // The menu button opens and closes the drawer here, with or without a circuit.
        if (event.target.closest?.("[data-drawer-toggle]")) {
            event.preventDefault();
            drawerChoice = !drawerIsOpen();
            showDrawer();
            return;
        }
        // Statically rendered pages (account pages, visitors) have no circuit: the theme button flips the cookie and reloads.
        const toggle = event.target.closest?.("[data-theme-toggle]");
        if (toggle) {
            event.preventDefault();
            writeTheme(readCookie(themeCookie) === "dark" ? "light" : "dark");
            location.reload();
        }
    }, true);

    // A tab hidden for a while pauses its circuit: the server persists the page's state and frees its memory. Shown
    // again, the tab resumes; the page then reads what happened meanwhile from the database. body[data-circuit] says which.
    const pauseAfter = Number(document.body.dataset.pauseHiddenAfter || 0);
    let pauseTimer = null;
    let paused = false;
    const interactive = () => document.getElementById("fc-interactive") !== null;
    document.addEventListener("visibilitychange", async () => {
        if (!pauseAfter || !window.Blazor?.pauseCircuit) return;
        if (document.visibilityState === "hidden") {
            clearTimeout(pauseTimer);
            pauseTimer = setTimeout(async () => {
                pauseTimer = null;
                if (document.visibilityState !== "hidden" || paused || !interactive()) return;
                paused = await Blazor.pauseCircuit();
                if (paused) document.body.dataset.circuit = "paused";
            }, pauseAfter);
        } else {
            clearTimeout(pauseTimer);
            pauseTimer = null;
            if (!paused) return;
            paused = false;
            document.body.dataset.circuit = "resuming";
            // A state past its retention cannot be resumed: the page starts afresh from the server.
            if (await Blazor.resumeCircuit()) document.body.dataset.circuit = "live";
            else location.reload();
        }
    });

    // A snackbar is announced once: news and confirmations politely (role=status), warnings and errors as alerts.
    // MudBlazor marks every snackbar both role=alert and aria-live=polite, which screen readers treat inconsistently.
    const settleSnackbar = (snackbar) => {
        const urgent = snackbar.matches(".mud-alert-filled-error, .mud-alert-filled-warning, [class*='mud-snackbar-error'], [class*='mud-snackbar-warning']");
        snackbar.setAttribute("role", urgent ? "alert" : "status");
        snackbar.removeAttribute("aria-live");
    };
    new MutationObserver((mutations) => {
        for (const mutation of mutations) {
            for (const node of mutation.addedNodes) {
                if (!(node instanceof Element)) continue;
                if (node.matches(".mud-snackbar[aria-live]")) settleSnackbar(node);
                node.querySelectorAll(".mud-snackbar[aria-live]").forEach(settleSnackbar);
            }
        }
    }).observe(document.documentElement, { childList: true, subtree: true });

    // Arrow keys move between the items of a list marked data-arrow-nav (the notification list).
    document.addEventListener("keydown", (event) => {
        if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
        const list = event.target.closest?.("[data-arrow-nav]");
        if (!list) return;
        const items = [...list.querySelectorAll(focusables)];
        const index = items.indexOf(document.activeElement);
        if (items.length === 0) return;
        event.preventDefault();
        const next = event.key === "ArrowDown" ? (index + 1) % items.length : (index - 1 + items.length) % items.length;
        items[next].focus();
    });

    // Relative times ("5 minutes ago") age in the browser, not in the circuit: every <time class="relative-time"> is
    // rewritten from its datetime attribute twice a minute, with the same words the server renders (Humanizer's English
    // defaults), so an open page costs the server nothing while it sits still. Only the text node's value changes, so
    // the node Blazor rendered stays the one it updates.
    const plural = (n, one, unit, tense) => n === 0 ? "now" : `${n === 1 ? one : `${n} ${unit}s`} ${tense}`;
    const relativeTime = (iso, now = Date.now()) => {
        const then = Date.parse(iso);
        if (Number.isNaN(then)) return null;
        const future = then > now;
        const tense = future ? "from now" : "ago";
        const ms = Math.abs(now - then);
        const seconds = ms / 1000, minutes = seconds / 60, hours = minutes / 60, days = hours / 24;
        if (ms < 500) return "now";
        if (seconds < 60) return plural(Math.floor(seconds), "one second", "second", tense);
        if (seconds < 120) return `a minute ${tense}`;
        if (minutes < 60) return plural(Math.floor(minutes), "a minute", "minute", tense);
        if (minutes < 90) return `an hour ${tense}`;
        if (hours < 24) return plural(Math.floor(hours), "an hour", "hour", tense);
        const calendarDays = Math.abs(Math.round((Date.UTC(new Date(then).getUTCFullYear(), new Date(then).getUTCMonth(), new Date(then).getUTCDate())
            - Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate())) / 86400000));
        if (hours < 48) return calendarDays === 1 ? (future ? "tomorrow" : "yesterday") : `${calendarDays} days ${tense}`;
        if (days < 28) return plural(Math.floor(days), "one day", "day", tense);
        if (days < 30) {
            const base = new Date(now);
            const shifted = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + (future ? 1 : -1), base.getUTCDate()));
            const input = new Date(then);
            const sameMonth = shifted.getUTCFullYear() === input.getUTCFullYear() && shifted.getUTCMonth() === input.getUTCMonth()
                && shifted.getUTCDate() === input.getUTCDate();
            return sameMonth ? `one month ${tense}` : plural(Math.floor(days), "one day", "day", tense);
        }
        if (days < 345) return plural(Math.floor(days / 29.5), "one month", "month", tense);
        return plural(Math.max(1, Math.floor(days / 365)), "one year", "year", tense);
    };
    const refreshTimes = () => {
        for (const time of document.querySelectorAll("time.relative-time[datetime]")) {
            const text = relativeTime(time.getAttribute("datetime"));
            const node = time.firstChild;
            if (text && node?.nodeType === Node.TEXT_NODE && node.nodeValue !== text) node.nodeValue = text;
        }
    };
    window.friendConnect.relativeTime = relativeTime;
    setInterval(refreshTimes, 30000);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refreshTimes(); });
})();
