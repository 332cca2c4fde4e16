// A judge's score sheet: each score is saved the moment it is picked. A save that fails (no
// connection) is kept in this browser and sent again when the connection returns, so nothing
// entered is lost; the status line says what is saved and what is waiting. What is kept belongs to
// one judge and one event (a shared tablet: judge B never sends judge A's scores), and signing out
// forgets it (static/js/sign_out.js).
//
// When the sign-in has ended the server says so (JSON, signed_out): the sheet stops retrying, keeps
// the scores and offers to sign in again; back on this sheet as the same judge, they are sent.
// "Save and finish" offline does not leave for the browser's no-connection page: it stays, says the
// scores are kept, and finishes once the connection is back.
(function () {
  "use strict";
  var sheet = document.querySelector("form.score-sheet");
  if (!sheet) { return; }
  var status = document.getElementById("save-status");
  var key = "pending-scores:" + sheet.dataset.judge + ":" + sheet.dataset.saveUrl;
  var pending = JSON.parse(window.localStorage.getItem(key) || "{}");
  var sending = false;
  var signedOut = false;

  function show(text, waiting) {
    status.textContent = text;
    status.classList.toggle("late", !!waiting);
  }
  function remember() { window.localStorage.setItem(key, JSON.stringify(pending)); }

  function showSignedOut() {
    signedOut = true;
    show(sheet.dataset.signedOut + " ", true);
    var link = document.createElement("a");
    link.href = sheet.dataset.signIn;
    link.textContent = sheet.dataset.signInLabel;
    status.appendChild(link);
  }

  function answerOf(r) {  // the server's JSON answer, or what a page instead of JSON means
    var type = r.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) {
      return { ok: false, data: { signed_out: r.redirected || r.status === 400 || r.status === 401 } };
    }
    return r.json().then(function (data) { return { ok: r.ok, data: data }; });
  }

  function send() {
    var names = Object.keys(pending);
    if (sending || signedOut || !names.length) { return; }
    sending = true;
    var item = pending[names[0]];
    var form = new FormData();
    form.append("csrf_token", sheet.dataset.csrf);
    form.append("judge", item.judge || sheet.dataset.judge);
    form.append("proposal_id", item.proposal);
    form.append("criterion", item.criterion);
    form.append("score", item.score);
    fetch(sheet.dataset.saveUrl, { method: "POST", body: form, credentials: "same-origin",
                                   headers: { "Accept": "application/json" } })
      .then(answerOf)
      .then(function (answer) {
        sending = false;
        if (answer.data.signed_out) { showSignedOut(); return; }  // kept: sent after signing in again
        if (pending[names[0]] === item) { delete pending[names[0]]; remember(); }
        if (!answer.ok) { show(answer.data.message, true); return; }
        if (Object.keys(pending).length) { send(); } else { show(sheet.dataset.saved, false); }
      })
      .catch(function () {  // offline: keep it, try again soon
        sending = false;
        show(sheet.dataset.waiting, true);
        window.setTimeout(send, 5000);
      });
  }

  sheet.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.dataset.criterion) { return; }
    pending[sheet.dataset.proposal + ":" + input.dataset.criterion] = {
      judge: sheet.dataset.judge, proposal: sheet.dataset.proposal, criterion: input.dataset.criterion,
      score: input.value };
    remember();
    show(sheet.dataset.saving, false);
    send();
  });

  sheet.addEventListener("submit", function (e) {  // leave only when the server can be reached
    e.preventDefault();
    if (signedOut) { showSignedOut(); return; }
    fetch(sheet.dataset.checkUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function () { sheet.submit(); })
      .catch(function () {
        show(sheet.dataset.finishOffline, true);
        window.addEventListener("online", function () { sheet.requestSubmit(); }, { once: true });
      });
  });

  window.addEventListener("online", send);
  Object.keys(pending).forEach(function (name) {  // restore picks not yet saved when the page was left
    var item = pending[name];
    var input = sheet.querySelector('[data-criterion="' + item.criterion + '"][value="' + item.score + '"]');
    if (input && String(item.proposal) === sheet.dataset.proposal) { input.checked = true; }
  });
  send();
}());
