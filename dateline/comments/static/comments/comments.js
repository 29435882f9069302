/* Dateline comments: progressive enhancement of the "Leave a Reply" form and the thread.
   Everything here also works without JavaScript through plain links and form posts. */
/* A long comment: the stylesheet folds it to its first lines where scripts run (site.css) and
   shows its "Show the whole comment" button; the button unfolds it, and so does the focus
   reaching a link in the folded part. Listened for on the document, so a comment this script
   puts on the page later works the same, and before the check for fetch below. */
(function () {
  "use strict";
  function unfold(button, open) {
    var text = document.getElementById(button.getAttribute("aria-controls"));
    if (!text) return;
    text.classList.toggle("is-unfolded", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var label = button.querySelector(".comment-unfold__label");
    if (label) label.textContent = open ? "Show less" : "Show the whole comment";
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".comment-unfold") : null;
    if (!button) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    unfold(button, open);
    /* Folding shortens the comment above the button: keep the button where the reader is. */
    if (!open) button.scrollIntoView({ block: "nearest" });
  });
  document.addEventListener("focusin", function (event) {
    var text = event.target.closest ? event.target.closest(".comment-content--long") : null;
    if (!text || text.classList.contains("is-unfolded")) return;
    var button = text.nextElementSibling;
    if (button && button.classList.contains("comment-unfold")) unfold(button, true);
  });
})();
(function () {
  "use strict";
  var section = document.getElementById("comments");
  if (!section || !window.fetch) return;
  var articleId = section.getAttribute("data-article");
  var form = document.getElementById("commentform");
  var respond = document.getElementById("respond");
  var STORE = "dateline.own";

  function readCookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    if (!m) return "";
    var v = decodeURIComponent(m[1]);
    return v.charAt(0) === '"' ? v.slice(1, -1).replace(/\\054/g, ",").replace(/\\(.)/g, "$1") : v;
  }
  function randomKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function ownTokens() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function keepToken(token) {
    try {
      var list = ownTokens().filter(function (t) { return t !== token; });
      list.unshift(token);
      localStorage.setItem(STORE, JSON.stringify(list.slice(0, 20)));
    } catch (e) { /* private mode: the page still works */ }
  }
  function voterToken() {
    try {
      var v = localStorage.getItem("dateline.voter");
      if (!v) { v = randomKey(); localStorage.setItem("dateline.voter", v); }
      return v;
    } catch (e) { return ""; }
  }
  function fromHTML(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }

  /* --- The form --------------------------------------------------------------------------- */
  if (form) {
    var key = form.querySelector("[name=comment_key]");
    key.value = randomKey();
    /* The page may come from the cache, hours old: when the reader starts writing, ask for a
       fresh signed timestamp, so "sent too fast" and "expired" count from now. */
    var stamp = form.querySelector("[name=comment_stamp]");
    var stamped = false;
    form.addEventListener("focusin", function () {
      if (stamped || !stamp) return;
      stamped = true;
      fetch("/comments/stamp/", { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) { if (data.stamp) stamp.value = data.stamp; })
        .catch(function () { stamped = false; });
    });
    var fields = { author: "comment_author", email: "comment_author_email", url: "comment_author_url" };
    var remembered = false;
    Object.keys(fields).forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      var value = readCookie(fields[name]);
      if (input && value && !input.value) { input.value = value; remembered = true; }
    });
    var consent = form.querySelector("[name='wp-comment-cookies-consent']");
    if (consent && remembered) consent.checked = true;

    var parentField = form.querySelector("[name=comment_parent]");
    var title = document.getElementById("reply-title");
    var cancel = document.getElementById("cancel-comment-reply-link");
    var titleText = title.firstChild;
    var home = document.createElement("div");
    home.hidden = true;
    respond.parentNode.insertBefore(home, respond);

    function replyTo(commentId, name) {
      var li = document.getElementById("comment-" + commentId);
      if (!li) return;
      li.querySelector(".comment-body").insertAdjacentElement("afterend", respond);
      parentField.value = commentId;
      /* The name in a <bdi> as the server writes it: a right-to-left name ending in a full
         stop otherwise shows the stop on the wrong side. */
      var slot = title.querySelector("bdi");
      if (!slot) {
        slot = document.createElement("bdi");
        title.insertBefore(slot, titleText.nextSibling);
        title.insertBefore(document.createTextNode(" "), slot.nextSibling);
      }
      titleText.nodeValue = "Leave a Reply to ";
      slot.textContent = name;
      cancel.hidden = false;
      form.querySelector("#comment").focus();
    }
    function resetReply() {
      home.parentNode.insertBefore(respond, home.nextSibling);
      parentField.value = "0";
      var slot = title.querySelector("bdi");
      if (slot) slot.textContent = "";
      titleText.nodeValue = "Leave a Reply ";
      cancel.hidden = true;
    }
    section.addEventListener("click", function (event) {
      var link = event.target.closest(".comment-reply-link");
      if (link) {
        event.preventDefault();
        replyTo(link.getAttribute("data-commentid"), link.getAttribute("data-replyto"));
      }
    });
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      /* Back to the Reply link of the comment the form was under (the reader's place in the
         thread), not the first one on the page. */
      var parent = document.getElementById("comment-" + parentField.value);
      resetReply();
      var opener = (parent && parent.querySelector(":scope > .comment-body .comment-reply-link")) ||
        document.querySelector(".comment-reply-link");
      if (opener) opener.focus();
    });

    var status = form.querySelector(".form-status");
    function clearErrors() {
      form.querySelectorAll(".field-error.js").forEach(function (el) { el.remove(); });
      form.querySelectorAll("[aria-invalid], [aria-describedby]").forEach(function (el) {
        el.removeAttribute("aria-invalid");
        var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && !/-(error|nudge)$/.test(id); });
        if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
      });
    }
    /* The nudge (docs/moderation.md): not posted yet; the same text sent again is posted. */
    function showNudge(nudge) {
      var ack = form.querySelector("[name='" + nudge.name + "']");
      if (ack) ack.value = nudge.value;
      var input = form.querySelector("[name='" + nudge.field + "']");
      var span = document.createElement("span");
      span.id = nudge.field + "-nudge";
      span.className = "field-error field-nudge js";
      span.textContent = nudge.message;
      input.insertAdjacentElement("afterend", span);
      var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      ids.push(span.id);
      input.setAttribute("aria-describedby", ids.join(" "));
    }
    function showError(name, message) {
      var input = form.querySelector("[name='" + name + "']");
      if (!input) { status.textContent = message; return; }
      var id = name + "-error";
      var span = document.getElementById(id) || document.createElement("span");
      span.id = id;
      span.className = "field-error js";
      span.textContent = message;
      input.insertAdjacentElement("afterend", span);
      input.setAttribute("aria-invalid", "true");
      var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(id) < 0) ids.push(id);
      input.setAttribute("aria-describedby", ids.join(" "));
    }
    function hints() {
      var first = null;
      ["comment", "author", "email", "url"].forEach(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        if (input && !input.checkValidity()) {
          showError(name, input.validationMessage);
          first = first || input;
        }
      });
      if (first) first.focus();
      return !first;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors();
      if (!hints()) { status.textContent = "Please correct the marked fields."; return; }
      var button = form.querySelector("[type=submit]");
      button.disabled = true;
      status.textContent = "Posting your comment…";
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (data) { return { response: response, data: data, site: true }; }, function () {
            return { response: response, data: { ok: false, message: "The server did not answer properly. Your text is still here; please try again." } };
          });
        }, function () {
          // Only a request that got no answer at all is "could not reach".
          return { response: null, data: { ok: false, message: "We could not reach the site. Your text is still here; please try again." } };
        })
        .then(function (result) {
          var data = result.data;
          if (data.stamp && stamp) stamp.value = data.stamp;
          if (!data.ok) {
            Object.keys(data.errors || {}).forEach(function (name) { showError(name, data.errors[name].join(" ")); });
            if (data.nudge) showNudge(data.nudge);
            /* The site's own refusals say when to send again ("in 11 seconds", "in a minute");
               only another answer (a proxy's error page) gets the wait from Retry-After, when
               it is a number of seconds. */
            var retry = !result.site && result.response && result.response.headers.get("Retry-After");
            status.textContent = (data.message || "Your comment was not posted.") + (retry && /^\d+$/.test(retry) ? " Try again in " + retry + " seconds." : "");
            var invalid = form.querySelector("[aria-invalid=true]");
            (invalid || form.querySelector("#comment")).focus();
            return;
          }
          if (data.duplicate) {
            /* The same text was posted before: nothing new to show or to keep. The earlier
               comment, when it is public and on this page, gets the focus. */
            status.textContent = data.message;
            var earlier = data.id && document.getElementById("comment-" + data.id);
            if (earlier) { earlier.setAttribute("tabindex", "-1"); earlier.focus(); }
            return;
          }
          keepToken(data.token);
          insertComment(data.html, data.parent, data.id, true);
          form.querySelector("#comment").value = "";
          form.querySelector("[name=comment_nudged]").value = "";
          key.value = randomKey();
          resetReply();
          status.textContent = data.message;
        })
        .catch(function () {
          status.textContent = "The site answered, but this page could not show the answer. Reload it to see whether your comment was posted.";
        })
        .then(function () {
          button.disabled = false;
          /* Disabled while the post was on its way, the button lost the focus to the page's
             body; when nothing above took it (a comment or a field), it gets it back, so the
             next Tab does not start again from the top of the page. */
          if (!document.activeElement || document.activeElement === document.body) button.focus();
        });
    });
  }

  function insertComment(html, parentId, id, focus) {
    if (document.getElementById("comment-" + id)) return;
    var li = fromHTML(html);
    var parent = parentId && document.getElementById("comment-" + parentId);
    var list;
    if (parent) {
      list = parent.querySelector(":scope > ol.children");
      if (!list) { list = document.createElement("ol"); list.className = "children"; parent.appendChild(list); }
    } else {
      list = section.querySelector(":scope > ol.comment-list");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-list";
        section.insertBefore(list, respond && respond.parentNode === section ? respond : section.querySelector("#respond") || null);
        var empty = section.querySelector(".no-comments-yet");
        if (empty) empty.remove();
      }
    }
    list.appendChild(li);
    markLikes(li);
    if (focus) {
      // Only right after the reader posted: a later visit must not move focus or scroll.
      li.setAttribute("tabindex", "-1");
      li.focus();
    }
  }

  /* --- Likes ---------------------------------------------------------------------------------- */
  // The page comes from a cache shared by every reader, so which comments this browser liked is
  // kept here, not in the HTML: the buttons become toggles once the script has run. A signed-in
  // reader's likes are the account's: the server remembers them and /readers/state/ (asked by
  // readers.js) lists this article's, merged here with the browser's own list.
  var LIKES = "dateline.likes";
  var accountLiked = [];
  function browserLiked() {
    try { return JSON.parse(localStorage.getItem(LIKES) || "[]").map(String); } catch (e) { return []; }
  }
  function likedIds() {
    return browserLiked().concat(accountLiked);
  }
  function keepLiked(id, liked) {
    try {
      var list = browserLiked().filter(function (i) { return i !== id; });
      if (liked) list.unshift(id);
      localStorage.setItem(LIKES, JSON.stringify(list.slice(0, 500)));
    } catch (e) { /* private mode: the like still counts, it is just not remembered */ }
  }
  function likeId(form) {
    var li = form.closest("[data-comment]");
    return li ? String(li.getAttribute("data-comment")) : "";
  }
  function markLikes(root) {
    var liked = likedIds();
    root.querySelectorAll(".comment-like").forEach(function (form) {
      var pressed = liked.indexOf(likeId(form)) !== -1;
      form.querySelector("button").setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }
  markLikes(section);
  /* A like the site refused (too many from one network) or could not take: said beside the
     button, in a status the screen reader reads out; the next press clears it. */
  var LIKE_FAILED = "Your like could not be counted just now; please try again.";
  function likeStatus(like, message) {
    var actions = like.parentNode;
    var box = actions.querySelector(":scope > .like-status");
    if (!box) {
      if (!message) return;
      box = document.createElement("span");
      box.className = "like-status";
      box.setAttribute("role", "status");
      actions.appendChild(box);  // under the row of actions, which stays as it was
      // Filled a moment after it is in the page, so that it is announced.
      setTimeout(function () { box.textContent = message; }, 50);
      return;
    }
    box.textContent = message;
  }
  section.addEventListener("submit", function (event) {
    var like = event.target.closest(".comment-like");
    if (!like) return;
    event.preventDefault();
    var button = like.querySelector("button");
    if (button.getAttribute("aria-busy") === "true") return;
    var undo = button.getAttribute("aria-pressed") === "true";
    var body = new FormData(like);
    body.append("voter", voterToken());
    if (undo) body.append("undo", "1");
    button.setAttribute("aria-busy", "true");
    likeStatus(like, "");
    fetch(like.action, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.ok) likeStatus(like, data.message || LIKE_FAILED);
        if (data.ok) {
          var id = likeId(like);
          like.querySelector(".like-count").textContent = data.likes;
          button.setAttribute("aria-pressed", data.liked ? "true" : "false");
          if (data.account) {
            /* The account's like: the server remembers it, this browser's list does not (after
               signing out the button is the browser's again). */
            accountLiked = accountLiked.filter(function (i) { return i !== id; });
            if (data.liked) accountLiked.push(id);
            keepLiked(id, false);
          } else {
            keepLiked(id, data.liked);
          }
        }
      })
      .catch(function () { likeStatus(like, LIKE_FAILED); })
      .then(function () { button.removeAttribute("aria-busy"); });
  });

  /* A signed-in reader: mark the account's likes, and hand the likes this browser made before
     signing in over to the account, once (docs/decisions/0083); after that the browser's list
     is empty, and the account's likes show wherever the reader signs in. */
  function readerState(state) {
    if (!state || !state.signed_in) return;
    accountLiked = (state.liked || []).map(String);
    markLikes(section);
    var own = browserLiked();
    var voter = own.length ? voterToken() : "";
    if (!voter) return;
    var body = new FormData();
    body.append("voter", voter);
    fetch("/comments/likes/carry-over/", { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.ok) return;
        own.forEach(function (id) { if (accountLiked.indexOf(id) === -1) accountLiked.push(id); });
        try { localStorage.removeItem(LIKES); } catch (e) { /* nothing kept, nothing to clear */ }
      })
      .catch(function () { /* tried again on the next page */ });
  }
  if (window.datelineReaderState) readerState(window.datelineReaderState);
  document.addEventListener("dateline:reader-state", function (event) { readerState(event.detail); });

  /* --- The reader's own recent comments (pending ones, edit links) ------------------------------ */
  var tokens = ownTokens();
  if (tokens.length) {
    var query = tokens.map(function (t) { return "own=" + encodeURIComponent(t); }).join("&");
    fetch("/comments/mine/?" + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        (data.comments || []).forEach(function (c) {
          if (String(c.article) !== String(articleId)) return;
          var existing = document.getElementById("comment-" + c.id);
          if (existing) {
            var fresh = fromHTML(c.html);
            var actions = fresh.querySelector(".comment-actions");
            if (c.editable && actions) {
              existing.querySelector(".comment-actions").replaceWith(actions);
              markLikes(existing);
            }
          } else if (c.status === "pending") {
            insertComment(c.html, c.parent, c.id);
          }
        });
      })
      .catch(function () {});
  }
})();
