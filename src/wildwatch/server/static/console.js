// The review console's few behaviours. No inline scripts anywhere: the Content-Security-Policy
// runs only files from /static. Handlers are delegated from the document so they keep working
// after htmx swaps part of a page.
"use strict";

(function () {
  // Keyboard shortcuts: a key presses the button that names it in data-shortcut
  // (c claim, r remove, b block seller, a allow, e escalate, i show or blur images).
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var key = (event.key || "").toLowerCase();
    if (!/^[a-z]$/.test(key)) {
      return;
    }
    var button = document.querySelector('[data-shortcut="' + key + '"]');
    if (!button || button.disabled) {
      return;
    }
    event.preventDefault();
    button.click();
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    // One image: blurred <-> shown.
    var thumb = target.closest("[data-reveal]");
    if (thumb) {
      thumb.classList.toggle("revealed");
      return;
    }
    // Every image of the page at once.
    if (target.closest("[data-toggle-images]")) {
      var thumbs = document.querySelectorAll("[data-reveal]");
      var anyBlurred = Array.prototype.some.call(thumbs, function (t) {
        return !t.classList.contains("revealed");
      });
      thumbs.forEach(function (t) { t.classList.toggle("revealed", anyBlurred); });
    }
  });

  // A select marked data-autosubmit submits its form when changed (its button is for no-JS).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.requestSubmit();
    }
  });

  document.documentElement.classList.add("js");
})();
