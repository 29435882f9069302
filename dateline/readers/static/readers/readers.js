/* Dateline reader accounts: the signed-in state on pages that come from the shared caches.
   The page is the same for everyone; this asks /readers/state/ (private, never cached) who is
   signed in, and only when the browser holds the reader cookie's hint, so anonymous readers
   send nothing. Without JavaScript the comment form still posts for the signed-in reader: the
   server reads the reader cookie on a post. */
(function () {
  "use strict";
  if (!window.fetch || !/(?:^|; )dl_signed_in=1(?:;|$)/.test(document.cookie)) return;
  var section = document.getElementById("comments");
  var article = section ? section.getAttribute("data-article") : "";
  var url = "/readers/state/" + (article ? "?article=" + encodeURIComponent(article) : "");

  function signedInForm(form, state) {
    var identity = form.querySelectorAll(
      ".comment-notes, .comment-form-author, .comment-form-email, .comment-form-url, .comment-form-cookies-consent"
    );
    identity.forEach(function (el) {
      el.hidden = true;
      el.querySelectorAll("input").forEach(function (input) {
        input.disabled = true; /* not sent, not validated */
        input.required = false;
      });
    });
    if (!form.querySelector(".logged-in-as")) {
      var p = document.createElement("p");
      p.className = "logged-in-as";
      p.appendChild(document.createTextNode("Commenting as "));
      var strong = document.createElement("strong");
      strong.textContent = state.name;
      p.appendChild(strong);
      p.appendChild(document.createTextNode(" · "));
      var mine = document.createElement("a");
      mine.href = state.account_url;
      mine.textContent = "Your page";
      p.appendChild(mine);
      form.insertBefore(p, form.firstChild);
    }
    var subscribe = form.querySelector("[name=subscribe]");
    if (subscribe && state.notify_replies) subscribe.checked = true;
  }

  fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : { signed_in: false }; })
    .then(function (state) {
      /* For the page's other scripts (comments.js marks the reader's likes): kept on window
         for a script that runs later, and sent as an event for one already listening. */
      window.datelineReaderState = state;
      document.dispatchEvent(new CustomEvent("dateline:reader-state", { detail: state }));
      if (!state.signed_in) return;
      var link = document.getElementById("reader-link");
      if (link) {
        link.textContent = state.name;
        link.href = state.account_url;
      }
      var form = document.getElementById("commentform");
      if (form) signedInForm(form, state);
      var gate = section && section.querySelector(".comments-sign-in");
      if (gate && state.form_html) {
        /* Our own server's HTML, rendered and escaped by its template. */
        var t = document.createElement("template");
        t.innerHTML = state.form_html.trim();
        gate.replaceWith(t.content);
      }
    })
    .catch(function () { /* the page stays as it is: still usable */ });
})();
