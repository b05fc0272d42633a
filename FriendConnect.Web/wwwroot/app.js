// Remembers the light/dark choice in this browser.
window.friendConnect = {
    getDarkMode: () => localStorage.getItem("fc-dark-mode"),
    setDarkMode: (value) => localStorage.setItem("fc-dark-mode", value ? "1" : "0"),
};
