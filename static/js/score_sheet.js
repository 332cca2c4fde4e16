// A judge's score sheet: each score is saved the moment it is picked. A save that fails (no
// connection) is kept in this browser and sent again when the connection returns, so nothing
// entered is lost; the status line says what is saved and what is waiting. What is kept belongs to
// one judge and one event (a shared tablet: judge B never sends judge A's scores), and signing out
// forgets it (static/js/sign_out.js).
(function () {
  "use strict";
  var sheet = document.querySelector("form.score-sheet");
  if (!sheet) { return; }
  var status = document.getElementById("save-status");
  var key = "pending-scores:" + sheet.dataset.judge + ":" + sheet.dataset.saveUrl;
  var pending = JSON.parse(window.localStorage.getItem(key) || "{}");
  var sending = false;

  function show(text, waiting) {
    status.textContent = text;
    status.classList.toggle("late", !!waiting);
  }
  function remember() { window.localStorage.setItem(key, JSON.stringify(pending)); }

  function send() {
    var names = Object.keys(pending);
    if (sending || !names.length) { return; }
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
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (answer) {
        sending = false;
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
  window.addEventListener("online", send);
  Object.keys(pending).forEach(function (name) {  // restore picks not yet saved when the page was left
    var item = pending[name];
    var input = sheet.querySelector('[data-criterion="' + item.criterion + '"][value="' + item.score + '"]');
    if (input && String(item.proposal) === sheet.dataset.proposal) { input.checked = true; }
  });
  send();
}());
