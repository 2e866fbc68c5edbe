/* "Send alerts to this phone" on the settings page (templates/people/push_alerts.html):
   subscribes with the browser's push service and gives the subscription to the site.
   Every word shown comes from the page or the server, so it is in the person's language. */
"use strict";

(() => {
  const box = document.querySelector("[data-push]");
  if (!box) {
    return;
  }
  const status = box.querySelector("[data-push-status]");
  const onWrap = box.querySelector("[data-push-on]");
  const offWrap = box.querySelector("[data-push-off]");
  const onButton = onWrap.querySelector("button");
  const offButton = offWrap.querySelector("button");
  const csrfToken = box.querySelector("input[name=csrfmiddlewaretoken]").value;

  const say = (text) => {
    status.textContent = text || "";
  };
  const show = (subscribed) => {
    onWrap.hidden = subscribed;
    offWrap.hidden = !subscribed;
  };

  // Browsers take the key as bytes; the site gives it as base64url.
  const keyBytes = (base64url) => {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
  const sameKey = (buffer, bytes) => {
    if (!buffer) {
      return false;
    }
    const have = new Uint8Array(buffer);
    return have.length === bytes.length && have.every((b, i) => b === bytes[i]);
  };

  // The site's own refusal, already in the person's language; any other error is shown
  // as the page's general "that did not work" (browsers word theirs in English).
  class Refused extends Error {}

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Refused(answer.message || box.dataset.msgFailed);
    }
    return answer.message;
  };

  const start = async () => {
    say("");
    if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
      say(box.dataset.msgUnsupported);
      return;
    }
    const { publicKey } = await (await fetch(box.dataset.keyUrl)).json();
    if (!publicKey) {
      say(box.dataset.msgOff);
      return;
    }
    const key = keyBytes(publicKey);
    await navigator.serviceWorker.register(box.dataset.workerUrl, { scope: "/" });
    // Subscribing needs an active worker, not only a registered one.
    const registration = await navigator.serviceWorker.ready;

    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
      // The site changed its keys: that subscription can no longer receive anything.
      await subscription.unsubscribe();
      subscription = null;
    }
    if (subscription && Notification.permission === "granted") {
      // Tell the site again, in case it forgot this phone (its push service said "gone").
      await post(box.dataset.subscribeUrl, subscription.toJSON());
      say(box.dataset.msgOn);
      show(true);
    } else {
      say("");
      show(false);
    }

    onButton.addEventListener("click", async () => {
      onButton.disabled = true;
      try {
        if ((await Notification.requestPermission()) !== "granted") {
          say(box.dataset.msgDenied);
          return;
        }
        const fresh = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: key,
        });
        say(await post(box.dataset.subscribeUrl, fresh.toJSON()));
        show(true);
        offButton.focus();
      } catch (error) {
        say(error instanceof Refused ? error.message : box.dataset.msgFailed);
      } finally {
        onButton.disabled = false;
      }
    });

    offButton.addEventListener("click", async () => {
      offButton.disabled = true;
      try {
        const current = await registration.pushManager.getSubscription();
        let message = "";
        if (current) {
          message = await post(box.dataset.unsubscribeUrl, { endpoint: current.endpoint });
          await current.unsubscribe();
        }
        say(message);
        show(false);
        onButton.focus();
      } catch (error) {
        say(error instanceof Refused ? error.message : box.dataset.msgFailed);
      } finally {
        offButton.disabled = false;
      }
    });
  };

  start().catch(() => say(box.dataset.msgFailed));
})();
