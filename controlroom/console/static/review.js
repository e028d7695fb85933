// Clerk console, the review station: the field <-> box link on the page image (zoomed and
// scrolled to the focused field's box), Tab through the flagged fields only, and keys to
// approve and reject. The line table is review_lines.js. The server checks everything
// again: this is comfort.
(function () {
  "use strict";

  var FOCUS_ZOOM = 2;
  var state = { zoom: 1, autoZoom: true, flaggedOnly: true, busy: false };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // ---- the page image ----------------------------------------------------------------
  function showPage(n) {
    $$(".page[data-page]").forEach(function (p) {
      p.hidden = p.getAttribute("data-page") !== String(n);
      if (!p.hidden) {
        var img = $("img", p);
        if (img) { img.loading = "eager"; }
      }
    });
    $$("[data-show-page]").forEach(function (a) {
      if (a.getAttribute("data-show-page") === String(n)) { a.setAttribute("aria-current", "page"); }
      else { a.removeAttribute("aria-current"); }
    });
  }

  function setZoom(zoom) {
    state.zoom = Math.max(1, Math.min(4, zoom));
    $$(".page[data-page]").forEach(function (p) { p.style.width = (state.zoom * 100) + "%"; });
    var out = $(".zoomlevel");
    if (out) { out.textContent = Math.round(state.zoom * 100) + "%"; }
  }

  // The viewer scrolls (both ways) so that the box sits in the middle of the part of the
  // viewer that is on screen (at the end of a long form the sticky viewer is pushed up).
  function centre(box) {
    var viewer = box.closest(".viewer");
    if (!viewer) { return; }
    var b = box.getBoundingClientRect(), v = viewer.getBoundingClientRect();
    var bar = $(".pages", viewer);
    var top = Math.max(v.top + (bar ? bar.getBoundingClientRect().height : 0), 0);
    var bottom = Math.min(v.bottom, window.innerHeight);
    viewer.scrollLeft += (b.left + b.width / 2) - (v.left + v.width / 2);
    viewer.scrollTop += (b.top + b.height / 2) - (top + (bottom - top) / 2);
  }

  function highlight(id) {
    $$(".box.active, tr.active, td.active").forEach(function (e) { e.classList.remove("active"); });
    if (!id) { return; }
    var box = $('.box[data-field="' + id + '"]');
    var row = $('tr[data-row="' + id + '"], td[data-row="' + id + '"]');
    if (row) { row.classList.add("active"); }
    if (!box) { return; }
    var page = box.closest(".page");
    if (page && page.hidden) { showPage(page.getAttribute("data-page")); }
    box.classList.add("active");
    if (state.autoZoom && state.zoom < FOCUS_ZOOM) { setZoom(FOCUS_ZOOM); }
    centre(box);
    // Once more after the browser has scrolled the focused field into view: that may
    // move the sticky viewer.
    requestAnimationFrame(function () { centre(box); });
  }

  // From a reason's link or a box on the page: the field in the middle of the window,
  // with its message under it, clear of the sticky bar.
  function focusField(input) {
    if (!input) { return; }
    input.focus({ preventScroll: true });
    input.scrollIntoView({ block: "center" });
    if (input.select) { input.select(); }
  }

  // ---- keyboard ----------------------------------------------------------------------
  function isStop(input) {
    return input.hasAttribute("data-flagged") || input.getAttribute("aria-invalid") === "true";
  }

  // Tab goes from flagged (or now failing) field to flagged field, then to Approve: the
  // other fields and the row buttons leave the Tab order, and come back with the toggle.
  function tabStops() {
    var form = $("[data-review-form]");
    if (!form) { return; }
    var inputs = $$("input[data-field]", form);
    var stops = inputs.filter(function (i) { return isStop(i) && !i.closest("tr[hidden]"); }).length;
    // Nothing flagged: every field is a Tab stop, whatever the toggle says.
    var only = state.flaggedOnly && stops > 0;
    inputs.forEach(function (i) {
      if (only && !isStop(i)) { i.tabIndex = -1; } else { i.removeAttribute("tabindex"); }
    });
    $$("[data-remove-row], [data-add-row]", form).forEach(function (b) {
      if (only) { b.tabIndex = -1; } else { b.removeAttribute("tabindex"); }
    });
    var count = $("[data-flagged-count]");
    if (count) { count.textContent = "(" + stops + ")"; }
  }

  function setFlaggedOnly(on) {
    state.flaggedOnly = on;
    var box = $("[data-tab-flagged]");
    if (box) { box.checked = on; }
    tabStops();
  }

  function reject() {
    var form = $("#reject-form"), reason = $("#reject-reason");
    if (!form || !reason) { return; }
    if (!reason.value.trim()) {
      reason.focus();
      reason.placeholder = "Reason (required), then Alt+R again";
      return;
    }
    state.busy = true;
    form.requestSubmit();
  }

  // Enter in a field goes on to the next Tab stop instead of approving the whole item
  // (the form's implicit submit): approving is Ctrl+Enter, on purpose.
  function nextStop(from) {
    var form = $("[data-review-form]");
    var stops = $$("input[data-field]", form).filter(function (i) {
      return i.tabIndex !== -1 && !i.closest("tr[hidden]");
    });
    var next = stops[stops.indexOf(from) + 1];
    if (next) { focusField(next); } else { $("button[type=submit]", form).focus(); }
  }

  function onKey(ev) {
    if (state.busy) { return; }
    var approve = $("[data-review-form]");
    var t = ev.target;
    if (ev.key === "Enter" && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !ev.shiftKey &&
        approve && t && t.matches && t.matches("input[data-field]") && approve.contains(t)) {
      ev.preventDefault();
      nextStop(t);
      return;
    }
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && !ev.altKey && approve) {
      ev.preventDefault();
      state.busy = true;
      approve.requestSubmit();
    } else if (ev.altKey && !ev.ctrlKey && !ev.metaKey && ev.code === "KeyR") {
      ev.preventDefault();  // Option+R on a Mac would type ®
      reject();
    } else if (ev.altKey && !ev.ctrlKey && !ev.metaKey && ev.code === "KeyT") {
      ev.preventDefault();
      setFlaggedOnly(!state.flaggedOnly);
    } else if (ev.altKey && !ev.ctrlKey && !ev.metaKey && ev.code === "KeyZ") {
      ev.preventDefault();
      state.autoZoom = !state.autoZoom;
      setZoom(state.autoZoom ? FOCUS_ZOOM : 1);
      var active = document.activeElement;
      if (active && active.getAttribute("data-field")) { highlight(active.getAttribute("data-field")); }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    $$("[data-show-page]").forEach(function (a) {
      a.addEventListener("click", function (ev) { ev.preventDefault(); showPage(a.getAttribute("data-show-page")); });
    });
    // Focus anywhere in the form (also on lines added later): its box on the page.
    document.addEventListener("focusin", function (ev) {
      var t = ev.target;
      if (t && t.matches && t.matches("input[data-field]")) { highlight(t.getAttribute("data-field")); }
    });
    // A page drawn later (lazy) moves its boxes: the active one goes back to the middle.
    $$(".page img").forEach(function (img) {
      img.addEventListener("load", function () {
        var active = $(".box.active", img.closest(".page"));
        if (active) { centre(active); }
      });
    });
    $$(".box[data-field]").forEach(function (box) {
      box.addEventListener("click", function () { focusField(document.getElementById(box.getAttribute("data-field"))); });
    });
    $$("a[data-focus]").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        var input = document.getElementById(a.getAttribute("data-focus"));
        if (!input) { return; }
        ev.preventDefault();
        focusField(input);
      });
    });

    var tools = $("[data-zoom-tools]");
    if (tools) {
      tools.hidden = false;
      $$("[data-zoom]", tools).forEach(function (b) {
        b.addEventListener("click", function () {
          var how = b.getAttribute("data-zoom");
          if (how === "fit") { state.autoZoom = false; setZoom(1); }
          else { state.autoZoom = true; setZoom(state.zoom * (how === "in" ? 1.25 : 0.8)); }
        });
      });
    }

    var table = $("table[data-lines]");
    var form = $("[data-review-form]");
    if (table && form && window.ClerkLines) {
      window.ClerkLines.setup(table, form, { focus: focusField, changed: tabStops });
    }
    if (form) {
      var keys = $("[data-keys]");
      if (keys) { keys.hidden = false; }
      // The browser keeps a focused field clear of the sticky bar: as tall as it is drawn.
      var bar = $(".sticky-submit");
      if (bar) { document.documentElement.style.scrollPaddingBottom = (bar.offsetHeight + 8) + "px"; }
      var toggle = $("[data-tab-flagged]");
      if (toggle) { toggle.addEventListener("change", function () { setFlaggedOnly(toggle.checked); }); }
      setFlaggedOnly(true);
      document.addEventListener("keydown", onKey);
    }

    // Land on the first field the review policy named, without scrolling past the
    // reasons above the form. Not when the reviewer asked for a page, nor read-only.
    var flagged = $("input[data-flagged]:not([readonly])");
    if (flagged && !/[?&]page=/.test(window.location.search)) {
      flagged.focus({ preventScroll: true });
      flagged.scrollIntoView({ block: "nearest" });
    }
  });
})();
