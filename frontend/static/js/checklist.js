// The document checklist of a procedure page: ticks are kept in this browser (localStorage, one
// key per procedure); without JavaScript the boxes still tick and the reset button still clears.
(function () {
  "use strict";
  var form = document.querySelector("form[data-checklist]");
  if (!form) return;
  var key = "checklist:" + form.getAttribute("data-checklist");
  var boxes = form.querySelectorAll("input[type=checkbox]");

  function read() {
    try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
  }
  function write() {
    var ticked = [];
    boxes.forEach(function (box) { if (box.checked) ticked.push(box.id); });
    try {
      if (ticked.length) localStorage.setItem(key, JSON.stringify(ticked));
      else localStorage.removeItem(key);
    } catch (e) { /* storage full or blocked: ticks stay on the page only */ }
  }

  var saved = read();
  boxes.forEach(function (box) { box.checked = saved.indexOf(box.id) !== -1; });
  form.addEventListener("change", write);
  // The reset clears the boxes after this event: write once it has.
  form.addEventListener("reset", function () { setTimeout(write, 0); });

  var print = form.querySelector("[data-print]");
  if (print && window.print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
