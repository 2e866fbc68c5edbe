/* Care Circles' service worker, served at /sw.js so that it covers the whole site.
   It shows the Web Push messages the site sends, and opens the message's page when tapped. */
"use strict";

// A new version takes over at once: it only handles messages, there is no cache to migrate.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

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
