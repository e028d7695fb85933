// Clerk console: live refresh of partials, the review screen's field <-> box link,
// page switching and "select all". No dependencies; pages work without it.
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

  function showPage(n) {
    document.querySelectorAll(".page[data-page]").forEach(function (p) {
      p.hidden = p.getAttribute("data-page") !== String(n);
      if (!p.hidden) {
        var img = p.querySelector("img");
        if (img) { img.loading = "eager"; }
      }
    });
    document.querySelectorAll("[data-show-page]").forEach(function (a) {
      if (a.getAttribute("data-show-page") === String(n)) { a.setAttribute("aria-current", "page"); }
      else { a.removeAttribute("aria-current"); }
    });
  }

  function highlight(id) {
    document.querySelectorAll(".box.active, tr.active, td.active").forEach(function (e) { e.classList.remove("active"); });
    if (!id) { return; }
    var box = document.querySelector('.box[data-field="' + id + '"]');
    // A flat field's table row, or a line item's cell.
    var row = document.querySelector('tr[data-row="' + id + '"], td[data-row="' + id + '"]');
    if (row) { row.classList.add("active"); }
    if (box) {
      var page = box.closest(".page");
      if (page && page.hidden) { showPage(page.getAttribute("data-page")); }
      box.classList.add("active");
      // Inside the document viewer only: the viewer scrolls to the box, the form stays.
      var viewer = box.closest(".viewer");
      if (viewer && viewer.scrollHeight > viewer.clientHeight) {
        var b = box.getBoundingClientRect(), v = viewer.getBoundingClientRect();
        if (b.top < v.top || b.bottom > v.bottom) {
          viewer.scrollTop += b.top - v.top - v.height / 3;
        }
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);

    document.querySelectorAll("[data-show-page]").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        showPage(a.getAttribute("data-show-page"));
      });
    });

    document.querySelectorAll("input[data-field]").forEach(function (input) {
      input.addEventListener("focus", function () { highlight(input.getAttribute("data-field")); });
    });
    document.querySelectorAll(".box[data-field]").forEach(function (box) {
      box.addEventListener("click", function () {
        var id = box.getAttribute("data-field");
        var input = document.getElementById(id);
        if (input) { input.focus(); input.select(); }
        highlight(id);
      });
    });

    // Land on the first field the review policy named (e.g. a tax amount read with low
    // confidence): focused, its box highlighted, scrolled clear of the sticky bar (CSS
    // scroll-padding). Not when the reviewer asked for a page, nor on read-only screens.
    var flagged = document.querySelector("input[data-flagged]:not([readonly])");
    if (flagged && !/[?&]page=/.test(window.location.search)) {
      // The least scroll that shows it (focus() alone would centre it and hide the
      // document's heading and the reasons above the fields).
      flagged.focus({ preventScroll: true });
      flagged.scrollIntoView({ block: "nearest" });
    }

    var all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll("input.pick").forEach(function (c) { c.checked = all.checked; });
      });
    }
  });
})();
