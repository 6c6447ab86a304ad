// Keeps the procedure pages a citizen opens for reading without a connection (/sw.js), and
// shows when the copy was saved when the page comes from that copy.
(function () {
  "use strict";
  var note = document.getElementById("offline-note");
  var saved = note && note.getAttribute("data-saved-at");
  if (saved) {
    var time = note.querySelector("time");
    time.setAttribute("datetime", saved);
    time.textContent = new Date(saved).toLocaleString(document.documentElement.lang || "vi");
    note.hidden = false;
  }
  if (!("serviceWorker" in navigator) || saved) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    registration.active.postMessage({ save: location.href.split("#")[0] });
  }).catch(function () { /* no worker: the page simply is not kept */ });
})();
