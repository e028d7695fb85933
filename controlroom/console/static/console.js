// Clerk console: live refresh of partials and "select all" (the review screen's own
// script is review.js). No dependencies; pages work without it.
(function () {
  "use strict";

  function poll(el) {
    var url = el.getAttribute("data-poll");
    var every = parseInt(el.getAttribute("data-poll-ms") || "2000", 10);
    var timer = null;
    function tick() {
      fetch(url, { headers: { "X-Partial": "1" }, credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) { throw new Error(r.status); }
          var stop = r.headers.get("X-Poll-Stop");
          return r.text().then(function (html) {
            el.innerHTML = html;  // server-rendered and escaped by the template
            if (stop) { clearInterval(timer); }
          });
        })
        .catch(function () { /* keep the last good content; try again next tick */ });
    }
    timer = setInterval(tick, every);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);

    var all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll("input.pick").forEach(function (c) { c.checked = all.checked; });
      });
    }
  });
})();
