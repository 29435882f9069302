// A live page's new updates, without reloading: every POLL seconds the page asks its updates'
// address (kept by the caches, purged on every change) for the newest ones. New updates wait
// behind a "N new updates" button, so nothing moves under the reader; corrected ones are
// replaced where they are and deleted ones taken away. Without JavaScript the page is complete
// as served.
(function () {
  "use strict";
  var stream = document.querySelector("[data-live-updates]");
  if (!stream || !window.fetch) return;
  var POLL = 1000 * (parseInt(stream.getAttribute("data-live-every"), 10) || 20);
  var list = stream.querySelector(".live__updates");
  var button = stream.querySelector(".live__new-button");
  if (!list || !button) return;
  var source = stream.getAttribute("data-live-updates");
  var waiting = [];
  var timer = null;

  function shown(id) {
    return document.getElementById("update-" + id);
  }

  function fromHtml(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.firstElementChild;
  }

  function label(count) {
    return count === 1 ? "1 new update" : count + " new updates";
  }

  function apply(data) {
    var seen = {};
    var oldest = null;
    data.updates.forEach(function (u) {
      seen[u.id] = true;
      // The window the address covers: its oldest unpinned update (a pinned one may be older).
      if (!u.pinned && (oldest === null || u.at < oldest)) oldest = u.at;
      var node = shown(u.id);
      if (node) {
        if (node.getAttribute("data-version") !== u.version) node.replaceWith(fromHtml(u.html));
      } else if (!u.pinned && !waiting.some(function (w) { return w.id === u.id; })) {
        waiting.push(u);
      }
    });
    // Updates within the window the address covers that it no longer lists were deleted.
    list.querySelectorAll("[data-update-id]").forEach(function (node) {
      var when = parseInt(node.getAttribute("data-at"), 10);
      if (!seen[node.getAttribute("data-update-id")] && oldest !== null && when >= oldest) {
        node.remove();
      }
    });
    waiting = waiting.filter(function (w) { return seen[w.id]; });
    if (waiting.length) {
      button.textContent = label(waiting.length);
      button.hidden = false;
    } else {
      button.hidden = true;
    }
    if (data.coverage !== "live") stop();
  }

  function poll() {
    fetch(source, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* the next poll tries again */ });
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }

  button.addEventListener("click", function () {
    var empty = list.querySelector(".live__none");
    if (empty) empty.remove();
    // Newest first, as the page lists them.
    waiting.sort(function (a, b) { return b.at - a.at; });
    var first = null;
    waiting.slice().reverse().forEach(function (u) {
      var node = fromHtml(u.html);
      list.insertBefore(node, list.firstChild);
      first = node;
    });
    waiting = [];
    button.hidden = true;
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  });

  timer = window.setInterval(poll, POLL);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer !== null) poll();
  });
})();
