// Similar ideas under the title while someone types (or, with data-like, for a proposal): the server renders the list.
(function () {
  "use strict";
  var box = document.getElementById("similar-ideas");
  if (!box) { return; }
  var fields = ["title", "summary"].map(function (id) { return document.getElementById(id); })
    .filter(Boolean);
  var timer = null;
  var last = "";

  function lookup() {
    var text = box.dataset.like ? "#" + box.dataset.like : fields.map(function (f) { return f.value; }).join(" ").trim();
    if (text === last) { return; }
    last = text;
    var url = box.dataset.url + (box.dataset.like ? "?like=" + encodeURIComponent(box.dataset.like)
                                                  : "?q=" + encodeURIComponent(text));
    if (box.dataset.exclude) { url += "&exclude=" + encodeURIComponent(box.dataset.exclude); }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok && !r.redirected ? r.text() : ""; })  // signed out: no hint
      .then(function (html) { if (text === last) { box.innerHTML = html; } })
      .catch(function () { /* a hint only: the form works without it */ });
  }

  fields.forEach(function (f) {
    f.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 250);
    });
  });
  if (box.dataset.like || fields.some(function (f) { return f.value; })) { lookup(); }
}());
