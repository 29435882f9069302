// The breaking-news banner: its own small address (kept a few seconds by the caches, purged
// when an editor sets or clears a flag), fetched when the page opens and again every minute, so
// a page kept for an hour by the front cache still shows the banner within seconds of it being
// set, and loses it when it is cleared or expires.
(function () {
  "use strict";
  var slot = document.querySelector("[data-breaking-src]");
  if (!slot || !window.fetch) return;
  var REFRESH = 1000 * (parseInt(slot.getAttribute("data-breaking-every"), 10) || 60);
  var source = slot.getAttribute("data-breaking-src");
  var current = null;
  var loading = false;

  function load() {
    // One request at a time. The browser's own cache is skipped: the front cache keeps the
    // banner for everyone, and two requests for one address could wait on each other there.
    if (loading) return;
    loading = true;
    fetch(source, { credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        html = html.trim();
        if (html === current) return;
        current = html;
        slot.innerHTML = html;
        slot.hidden = html === "";
      })
      .catch(function () { /* keep what is shown; the next refresh tries again */ })
      .then(function () { loading = false; });
  }

  load();
  window.setInterval(load, REFRESH);
})();
