// Keeps the list of calls for staff current: the list alone is fetched every three seconds and
// replaces the old one, unless the keyboard focus is inside it (a press must not be lost).
(function () {
  "use strict";
  var box = document.getElementById("calls");
  if (!box) { return; }
  var source = box.getAttribute("data-source");
  function refresh() {
    if (box.contains(document.activeElement) && document.activeElement !== box) { return; }
    fetch(source, { credentials: "same-origin", cache: "no-store", redirect: "manual" })
      .then(function (answer) {
        if (answer.type === "opaqueredirect" || answer.status === 401) {
          window.location.assign("/console/login");
          return null;
        }
        return answer.ok ? answer.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== undefined && html !== box.innerHTML) { box.innerHTML = html; }
      })
      .catch(function () { /* the next round tries again */ });
  }
  window.setInterval(refresh, 3000);
}());
