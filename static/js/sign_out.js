// Signing out forgets the scores a judge's sheet kept in this browser while offline: on a shared
// tablet the next person must never send them as their own.
(function () {
  "use strict";
  var form = document.querySelector("form.sign-out");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    Object.keys(window.localStorage).forEach(function (key) {
      if (key.indexOf("pending-scores:") === 0) { window.localStorage.removeItem(key); }
    });
  });
}());
