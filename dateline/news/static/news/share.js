// "Copy link" under an article. Without JavaScript (or without the clipboard API) the reader
// copies the address from the read-only field next to it; the button stays hidden.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-share-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-share-copy"));
    var status = button.parentNode.querySelector(".share__status");
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () { status.textContent = "Link copied."; },
        function () { field.select(); status.textContent = "Press Ctrl+C (⌘C on a Mac) to copy."; }
      );
    });
  });
})();
