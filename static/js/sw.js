/* Care Circles' service worker, served at /sw.js so that it covers the whole site.
   It shows the Web Push messages the site sends, and opens the message's page when tapped.
   Offline, it opens a visit's "I've left" screen from the copy the carer's page kept
   (static/js/visits.js), so a carer with no signal can still say they left. */
"use strict";

// The same name as in static/js/visits.js.
const SCREENS = "visit-screens";
const LEFT_SCREEN = /^\/shifts\/visit\/\d+\/left\/$/;

// A new version takes over at once: the only cache is rebuilt by every carer's page.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (event.request.method === "POST" && url.pathname === "/sign-out/") {
    // Signing out leaves nothing of the person's visits on the phone.
    event.waitUntil(caches.delete(SCREENS));
    return;
  }
  // The screens and the files they need, from the network, else as kept.
  const kept = LEFT_SCREEN.test(url.pathname) || url.pathname.startsWith("/static/");
  if (event.request.method !== "GET" || !kept) {
    return;
  }
  event.respondWith(
    fetch(event.request).catch(async () => {
      const kept = await caches.match(url.href, { cacheName: SCREENS, ignoreVary: true });
      return kept || Response.error();
    }),
  );
});

self.addEventListener("push", (event) => {
  let message = {};
  if (event.data) {
    try {
      message = event.data.json();
    } catch (error) {
      message = { body: event.data.text() };
    }
  }
  event.waitUntil(
    self.registration.showNotification(message.title || "Care Circles", {
      body: message.body || "",
      icon: message.icon,
      data: { url: message.url || "/" },
      // Urgent ones (someone needs help now) stay on screen until the person acts.
      requireInteraction: Boolean(message.urgent),
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data || {}).url || "/", self.location.origin);
  // Only ever a page of this site: a full address elsewhere keeps just its path.
  const url = self.location.origin + target.pathname + target.search + target.hash;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if (client.url === url && "focus" in client) {
          return client.focus();
        }
      }
      return self.clients.openWindow(url);
    })(),
  );
});
