// The console's only script: copy buttons, live notifications (server-sent events) and the refresh of
// the page regions they concern. Pages work without it; it adds no HTML from strings (textContent only).
(() => {
  "use strict";

  const shell = document.querySelector(".shell");

  // Copy buttons: <button data-copy="input-id">
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      input.select();
      document.execCommand("copy");
    }
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy password"; }, 2000);
  });

  // Regions: <div data-live-region="name" data-live-topics="vm: job:abc" data-live-poll="1000">
  const pending = new Map();

  function matches(region, topic) {
    const topics = (region.dataset.liveTopics || "").split(/\s+/).filter(Boolean);
    return topics.some((t) => (t.endsWith(":") ? topic.startsWith(t) : t === topic));
  }

  function refresh(name, delay) {
    if (pending.has(name)) return;
    pending.set(name, setTimeout(async () => {
      try {
        const response = await fetch(location.href, { credentials: "same-origin", headers: { "X-Console-Refresh": "1" } });
        if (!response.ok || response.redirected) return;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.querySelector(`[data-live-region="${CSS.escape(name)}"]`);
        const old = document.querySelector(`[data-live-region="${CSS.escape(name)}"]`);
        if (!fresh || !old) return;
        const checked = new Set([...old.querySelectorAll("input[type=checkbox]:checked")].map((i) => i.name + "=" + i.value));
        const adopted = document.importNode(fresh, true);
        adopted.querySelectorAll("input[type=checkbox]").forEach((i) => { i.checked = checked.has(i.name + "=" + i.value); });
        old.replaceWith(adopted);
        schedulePoll(adopted);
      } catch {
        // offline for a moment: the next notice or poll tries again
      } finally {
        pending.delete(name);
      }
    }, delay));
  }

  function schedulePoll(region) {
    const every = parseInt(region.dataset.livePoll || "", 10);
    if (every > 0) refresh(region.dataset.liveRegion, every);
  }

  document.querySelectorAll("[data-live-region]").forEach(schedulePoll);

  // Toasts: newest last, at most five, each dismissable, gone after a while
  function toast(notice) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const item = document.createElement("div");
    item.className = "toast " + (notice.level || "info");
    item.dataset.kind = notice.kind || "";
    item.dataset.topic = notice.topic || "";
    const title = document.createElement("strong");
    title.textContent = notice.title || "";
    const text = document.createElement("span");
    text.textContent = notice.text || "";
    item.append(title, text);
    if (typeof notice.link === "string" && notice.link.startsWith("/console/")) {
      const link = document.createElement("a");
      link.href = notice.link + (shell && shell.classList.contains("embedded") ? (notice.link.includes("?") ? "&" : "?") + "embed=1" : "");
      link.textContent = "Open";
      item.append(link);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "link";
    close.textContent = "Dismiss";
    close.addEventListener("click", () => item.remove());
    item.append(close);
    box.append(item);
    while (box.children.length > 5) box.firstElementChild.remove();
    setTimeout(() => item.remove(), 20000);
  }

  if (!shell || shell.dataset.live !== "on" || !window.EventSource) return;
  const state = document.getElementById("live-state");
  const source = new EventSource(shell.dataset.liveUrl);
  source.addEventListener("open", () => { if (state) state.textContent = "live"; shell.dataset.connected = "true"; });
  source.addEventListener("error", () => { if (state) state.textContent = "offline"; shell.dataset.connected = "false"; });
  source.addEventListener("notice", (event) => {
    let notice;
    try { notice = JSON.parse(event.data); } catch { return; }
    if (notice.toast) toast(notice);
    document.querySelectorAll("[data-live-region]").forEach((region) => {
      if (matches(region, notice.topic || "")) refresh(region.dataset.liveRegion, 300);
    });
  });
})();
