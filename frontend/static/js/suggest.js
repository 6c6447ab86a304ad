// Autocomplete for search boxes with data-suggest-url: titles in a <datalist>, nothing more.
// Without JavaScript the form still works; with it, a cheap phone gets a few hints. At most one
// request per GAP milliseconds, whatever the typing speed, and only the latest answer is shown.
(function () {
  "use strict";
  var GAP = 250;
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.after(list);
    var timer = null;
    var last = "";
    var sentAt = -Infinity;
    var latest = 0;

    function show(request, data) {
      if (request !== latest) { return; }  // an older answer arriving late
      list.replaceChildren();
      (data.results || []).forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.title;  // a property, never HTML
        list.appendChild(option);
      });
    }

    function send() {
      timer = null;
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      last = q;
      sentAt = Date.now();
      var request = ++latest;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(request, data); })
        .catch(function () { /* hints are optional */ });
    }

    input.addEventListener("input", function () {
      if (timer !== null) { return; }  // the pending request will read the latest value
      timer = setTimeout(send, Math.max(GAP - (Date.now() - sentAt), 120));
    });
  });
})();
