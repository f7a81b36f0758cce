// The session ends on the server after a period without use. A minute before, this says so and
// offers to stay (a key or a click anywhere counts as use too); at the end, the page leaves for
// the sign-in, so an unattended screen does not go on showing complaints.
(function () {
  "use strict";
  var box = document.getElementById("idle");
  if (!box) { return; }
  var idleMs = parseInt(box.getAttribute("data-idle-s"), 10) * 1000;
  var warnMs = Math.max(idleMs - 60000, idleMs / 2);
  var last = Date.now();
  var lastTouch = Date.now();
  function stay() {
    last = Date.now();
    box.hidden = true;
    // Keep the server's session in step with the activity on this page, at most once a minute.
    if (Date.now() - lastTouch > 60000) {
      lastTouch = Date.now();
      fetch("/console/", { credentials: "same-origin", redirect: "manual", cache: "no-store" });
    }
  }
  ["keydown", "mousedown", "touchstart"].forEach(function (kind) {
    document.addEventListener(kind, function () { if (box.hidden) { stay(); } }, true);
  });
  document.getElementById("idle-stay").addEventListener("click", stay);
  window.setInterval(function () {
    var quiet = Date.now() - last;
    if (quiet >= idleMs) { window.location.assign("/console/login"); }
    else if (quiet >= warnMs && box.hidden) { box.hidden = false; }
  }, 1000);
}());
