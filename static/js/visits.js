/* “I've arrived” and “I've left” (templates/carer/my_shifts.html, templates/carer/left.html),
   working offline.

   Each tap gets an id made here and the phone's time as it is tapped (the hidden `tap` and
   `at` fields). Tapped offline, the form is kept in IndexedDB instead of sent, the person is
   told so, and what is kept is sent, oldest first, when the phone is back online or the next
   page opens: the server counts a tap once however often it arrives, and judges the phone's
   time, not the time of sending. Without JavaScript the forms post as they are (the server's
   time, no id). Every word shown comes from the page, so it is in the person's language. */
"use strict";

(() => {
  const DB = "care-circles";
  const STORE = "taps";
  // The same name as in static/js/sw.js.
  const CACHE = "visit-screens";
  const script = document.currentScript;

  const open = () =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () =>
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  const withStore = async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const result = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(result.result);
      transaction.onerror = () => reject(transaction.error);
    });
  };

  const keep = (tap) => withStore("readwrite", (store) => store.add(tap));
  const kept = () => withStore("readonly", (store) => store.getAll());
  const forget = (id) => withStore("readwrite", (store) => store.delete(id));

  const uuid = () => {
    if (crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };

  // The tap's id and the phone's time, set as the person taps (kept if the send fails).
  const stamp = (form) => {
    if (!form.elements.tap.value) {
      form.elements.tap.value = uuid();
    }
    form.elements.at.value = new Date().toISOString();
  };

  const say = (form, words) => {
    const box = form.closest("[data-saved]") || form;
    let line = box.querySelector("[data-visit-said]");
    if (!line) {
      line = document.createElement("p");
      line.className = "note";
      line.setAttribute("role", "status");
      line.setAttribute("data-visit-said", "");
      box.append(line);
    }
    line.textContent = words;
  };

  // Kept on the phone: the form's fields as they were at the tap.
  const keepOffline = async (form) => {
    const fields = Array.from(new FormData(form).entries());
    await keep({ url: form.action, fields, tappedAt: form.elements.at.value });
    const box = form.closest("[data-saved]");
    say(form, box.dataset.saved);
    if (form.dataset.visitTap === "arrived") {
      const card = form.closest(".visit");
      const leaving = card && card.querySelector("[data-visit-left]");
      if (leaving) {
        leaving.hidden = false;
      }
      form.hidden = true;
    } else {
      form.querySelectorAll("button, input, textarea").forEach((field) => {
        field.disabled = true;
      });
    }
  };

  let sending = false;
  const sendKept = async () => {
    if (sending || !navigator.onLine) {
      return;
    }
    sending = true;
    let sent = 0;
    try {
      for (const tap of await kept()) {
        const body = new URLSearchParams();
        tap.fields.forEach(([name, value]) => body.append(name, value));
        // Any answer means the server has it (a refusal is shown on the next page); no
        // answer at all means still offline: it stays kept.
        await fetch(tap.url, { method: "POST", body, credentials: "same-origin" });
        await forget(tap.id);
        sent += 1;
      }
    } catch (error) {
      // Not reachable yet: try again at the next `online` event or page.
    } finally {
      sending = false;
    }
    if (sent && document.querySelector("[data-visit-tap]")) {
      // The page shows what the server now holds, and its word on each tap.
      window.location.reload();
    }
  };

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target.closest("form[data-visit-tap]");
      if (!form) {
        return;
      }
      stamp(form);
      if (!navigator.onLine) {
        // Before htmx or the browser sends it: kept instead.
        event.preventDefault();
        event.stopImmediatePropagation();
        keepOffline(form);
      }
    },
    true,
  );

  // Online by the phone's account, but the send failed on the way.
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt.closest("form[data-visit-tap]");
    if (form) {
      keepOffline(form);
    }
  });

  window.addEventListener("online", sendKept);

  // The "I've left" screens of the visits this page offers are kept in the browser's cache
  // while online (only those: the cache starts again each time), and the service worker
  // serves one from there when the phone is offline, so the carer can still say they left.
  // Signing out empties it (static/js/sw.js).
  const keepScreens = async () => {
    const links = document.querySelectorAll("a[data-visit-left]");
    if (!links.length || !navigator.onLine || !window.caches) {
      return;
    }
    // With the screens, what they need to work offline: this script and the site's style.
    const style = document.querySelector('link[rel="stylesheet"]');
    const urls = [...Array.from(links, (link) => link.href), script.src, style && style.href];
    await caches.delete(CACHE);
    const cache = await caches.open(CACHE);
    for (const url of urls.filter(Boolean)) {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) {
        await cache.put(url, response);
      }
    }
  };

  if ("serviceWorker" in navigator && script && script.dataset.workerUrl) {
    navigator.serviceWorker.register(script.dataset.workerUrl, { scope: "/" }).catch(() => {});
    keepScreens().catch(() => {});
  }

  sendKept();
})();
