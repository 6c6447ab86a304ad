// Autocomplete for search boxes with data-suggest-url: titles in a <datalist>, nothing more.
// Without JavaScript the form still works; with it, a cheap phone gets a few hints.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.after(list);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      timer = setTimeout(function () {
        last = q;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.title;  // textContent-safe: never HTML
              list.appendChild(option);
            });
          })
          .catch(function () { /* hints are optional */ });
      }, 200);
    });
  });
})();
