// Tells the server that this page was read: once, after the reader has had it in view for a
// moment, with nothing but the page's address in the request (no cookie, no identifier).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.read;
  if (!url || !navigator.sendBeacon) {
    return;
  }
  var sent = false;
  function send() {
    if (sent || document.visibilityState !== "visible") {
      return;
    }
    sent = true;
    navigator.sendBeacon(url, "");
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
