// Tells the server that this page was read: once, after the reader has had it in view for a
// moment, with nothing but the page's address in the request (no cookie, no identifier).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.read;
  if (!url || !window.fetch) {
    return;
  }
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") {
      return;
    }
    sent = true;
    // fetch with keepalive rather than navigator.sendBeacon: the same delivery when the page
    // closes, without a body or a cookie, and a request the browser (and its tools) can see end.
    window.fetch(url, { method: "POST", keepalive: true, credentials: "omit", cache: "no-store" })
      .catch(function () {});
  }
  function soon() {
    window.setTimeout(send, 1000);
  }
  if (document.visibilityState === "visible") {
    soon();
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      soon();
    }
  });
})();
