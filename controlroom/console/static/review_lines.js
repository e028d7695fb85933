// Clerk console, the review station's line table: add and remove lines, quantity × unit
// price = amount on every line and the lines' sum against the net (or total) amount as
// the reviewer types. Loaded before review.js, which calls ClerkLines.setup. The server
// checks the posted rows again (controlroom/services/_review_rows.py).
(function () {
  "use strict";

  var NUMBER = /^-?\d{1,12}(\.\d{1,6})?$/;  // as review_rows._DECIMAL
  var TOLERANCE = 0.01;  // as the server's CLERK_VALIDATE_TOLERANCE default
  var hooks = { focus: function () {}, changed: function () {} };

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function parse(input) {
    var v = input.value.trim();
    if (!v) { return { empty: true }; }
    if (!NUMBER.test(v)) { return { bad: true }; }
    return { value: Number(v) };
  }

  // A failing field: red (class and aria-invalid) and a message read with it. A flat
  // field's message goes under it; a line's messages go in one note under the line,
  // across the table (the number columns are too narrow for a sentence).
  function mark(input, message, note) {
    var td = input.closest("td");
    if (message) {
      input.setAttribute("aria-invalid", "true");
      if (td) { td.classList.add("invalid"); }
    } else {
      input.removeAttribute("aria-invalid");
      if (td) { td.classList.remove("invalid"); }
      input.removeAttribute("aria-describedby");
    }
    if (note) {
      if (message) { input.setAttribute("aria-describedby", note.id); }
      return;
    }
    var msg = td ? $(".cellmsg", td) : null;
    if (message && td) {
      if (!msg) {
        msg = document.createElement("span");
        msg.className = "cellmsg";
        msg.id = input.id + "-msg";
        td.appendChild(msg);
      }
      msg.textContent = message;
      input.setAttribute("aria-describedby", msg.id);
    } else if (msg) {
      msg.remove();
    }
  }

  function cell(row, col) { return $('input[data-col="' + col + '"]', row); }
  function money(n) { return n.toFixed(2); }

  function noteOf(row, create) {
    var next = row.nextElementSibling;
    if (next && next.classList.contains("rownote")) { return next; }
    if (!create) { return null; }
    var note = document.createElement("tr");
    note.className = "rownote";
    var td = document.createElement("td");
    td.colSpan = row.children.length;
    td.className = "cellmsg";
    td.id = "note-" + row.getAttribute("data-index");
    note.appendChild(td);
    row.after(note);
    return note;
  }

  function dropNote(row) {
    var note = noteOf(row, false);
    if (note) { note.remove(); }
  }

  function checkRow(row) {
    var line = "Line " + row.getAttribute("data-line") + ": ";
    var messages = [], failing = [];
    var got = {};
    ["quantity", "unit_price", "amount"].forEach(function (c) {
      var input = cell(row, c);
      if (!input) { return; }
      var p = parse(input);
      got[c] = p;
      if (p.bad) {
        var label = c.replace("_", " ");
        messages.push(line + label + " " + JSON.stringify(input.value.trim()) +
          " is not a number; write digits with a dot before the decimals, e.g. 1234.50.");
        failing.push(input);
      }
    });
    var q = got.quantity, u = got.unit_price, a = got.amount;
    if (q && u && a && q.value !== undefined && u.value !== undefined && a.value !== undefined) {
      var product = Math.round(q.value * u.value * 100) / 100;
      if (Math.abs(product - a.value) > TOLERANCE + 1e-9) {
        messages.push(line + cell(row, "quantity").value.trim() + " × " +
          cell(row, "unit_price").value.trim() + " = " + money(product) +
          ", but the amount is " + money(a.value) + ".");
        failing.push(cell(row, "amount"));
      }
    }
    var note = messages.length ? noteOf(row, true) : null;
    if (note) { note.firstChild.textContent = messages.join(" "); }
    else { dropNote(row); }
    $$("input[data-col]", row).forEach(function (i) {
      mark(i, failing.indexOf(i) >= 0 ? "failing" : "", note ? note.firstChild : null);
    });
  }

  function liveRows(table) { return $$("tbody tr[data-index]", table).filter(function (r) { return !r.hidden; }); }

  function flat(name) { return $('input[data-name="' + name + '"]'); }

  function checkSum(table) {
    var msg = $("[data-sum-msg]");
    var net = flat("net_amount"), total = flat("total_amount");
    var target = net && net.value.trim() ? net : total;
    [net, total].forEach(function (i) { if (i && i.hasAttribute("data-sum-invalid")) { i.removeAttribute("data-sum-invalid"); mark(i, ""); } });
    if (msg) { msg.textContent = ""; }
    var rows = liveRows(table);
    if (!target || !rows.length) { return; }
    var sum = 0, ok = true;
    rows.forEach(function (r) {
      var a = cell(r, "amount"), p = a ? parse(a) : { empty: true };
      if (p.value === undefined) { ok = false; } else { sum += p.value; }
    });
    var want = parse(target);
    if (!ok || want.value === undefined) { return; }
    sum = Math.round(sum * 100) / 100;
    if (Math.abs(sum - want.value) > TOLERANCE + 1e-9) {
      var label = target === net ? "net amount" : "total amount";
      var text = "The lines add up to " + money(sum) + ", but the " + label + " is " + money(want.value);
      target.setAttribute("data-sum-invalid", "");
      mark(target, text);
      if (msg) { msg.textContent = text + "."; }
    }
  }

  function renumber(table) {
    var count = $("[data-row-count]");
    if (count) { count.textContent = String(liveRows(table).length); }
  }

  function removeRow(table, row) {
    var first = parseInt(table.getAttribute("data-first-new"), 10);
    var index = parseInt(row.getAttribute("data-index"), 10);
    dropNote(row);
    if (index >= first) {  // a line added here: gone, and the later new lines close up
      row.remove();
      $$("tbody tr[data-index]", table).forEach(function (r) {
        var i = parseInt(r.getAttribute("data-index"), 10);
        if (i > index) { numberRow(table, r, i - 1); }
      });
      table.setAttribute("data-next-index", String(parseInt(table.getAttribute("data-next-index"), 10) - 1));
    } else {  // a line the machine read: posted empty, which removes it
      $$("input[data-col]", row).forEach(function (i) { i.setAttribute("data-was", i.value); i.value = ""; mark(i, "", null); });
      row.hidden = true;
      var note = document.createElement("tr");
      note.className = "removed";
      var td = document.createElement("td");
      td.colSpan = row.children.length;
      td.textContent = "Line " + (index + 1) + " will be removed. ";
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "small linkish";
      undo.textContent = "Undo";
      undo.addEventListener("click", function () {
        $$("input[data-col]", row).forEach(function (i) { i.value = i.getAttribute("data-was") || ""; });
        row.hidden = false;
        note.remove();
        refresh(table);
      });
      td.appendChild(undo);
      note.appendChild(td);
      row.after(note);
    }
    refresh(table);
  }

  function numberRow(table, row, index) {
    var group = table.getAttribute("data-group"), prefix = table.getAttribute("data-prefix");
    row.setAttribute("data-index", String(index));
    row.setAttribute("data-line", String(index + 1));
    $("th", row).textContent = String(index + 1);
    $$("input[data-col]", row).forEach(function (i) {
      var col = i.getAttribute("data-col");
      i.name = prefix + group + "." + index + "." + col;
      i.setAttribute("aria-label", "Line " + (index + 1) + " · " + $('th[data-col="' + col + '"]', table).getAttribute("data-label"));
    });
    var del = $("[data-remove-row]", row);
    if (del) { del.setAttribute("aria-label", "Remove line " + (index + 1)); }
  }

  var added = 0;
  function addRow(table) {
    var index = parseInt(table.getAttribute("data-next-index"), 10);
    var row = document.createElement("tr");
    row.className = "new";
    row.appendChild(Object.assign(document.createElement("th"), { scope: "row", className: "num" }));
    $$("thead th[data-col]", table).forEach(function (th) {
      var td = document.createElement("td");
      td.className = th.hasAttribute("data-numeric") ? "num" : "text";
      var input = document.createElement("input");
      added += 1;
      input.id = "n" + added;
      input.setAttribute("data-field", input.id);
      input.setAttribute("data-col", th.getAttribute("data-col"));
      input.setAttribute("data-flagged", "");  // a new line is the reviewer's to fill in
      input.autocomplete = "off";
      if (th.hasAttribute("data-numeric")) { input.inputMode = "decimal"; }
      td.setAttribute("data-row", input.id);
      td.appendChild(input);
      row.appendChild(td);
    });
    var del = document.createElement("td");
    del.className = "del";
    del.appendChild(Object.assign(document.createElement("button"),
      { type: "button", className: "small linkish", textContent: "✕" }));
    del.firstChild.setAttribute("data-remove-row", "");
    row.appendChild(del);
    $("tbody", table).appendChild(row);
    numberRow(table, row, index);
    table.setAttribute("data-next-index", String(index + 1));
    var none = $("[data-no-rows]");
    if (none) { none.hidden = true; }
    refresh(table);
    hooks.focus($("input", row));
  }

  function refresh(table) {
    liveRows(table).forEach(checkRow);
    checkSum(table);
    renumber(table);
    hooks.changed();
  }

  function setup(table, form, given) {
    hooks = given;
    table.setAttribute("data-first-new", table.getAttribute("data-next-index"));
    $$("[data-remove-row], [data-add-row]").forEach(function (b) { b.hidden = false; });
    table.addEventListener("click", function (ev) {
      var b = ev.target.closest && ev.target.closest("[data-remove-row]");
      if (b) { removeRow(table, b.closest("tr")); }
    });
    var add = $("[data-add-row]");
    if (add) { add.addEventListener("click", function () { addRow(table); }); }
    form.addEventListener("input", function (ev) {
      var row = ev.target.closest("tr[data-index]");
      if (row) { checkRow(row); }
      checkSum(table);
      hooks.changed();
    });
    // A line added and left empty is dropped before posting, so the new lines that
    // are posted follow the last one without a gap (the server insists).
    form.addEventListener("submit", function () {
      var first = parseInt(table.getAttribute("data-first-new"), 10);
      $$("tbody tr[data-index]", table).reverse().forEach(function (r) {
        var empty = $$("input[data-col]", r).every(function (i) { return !i.value.trim(); });
        if (parseInt(r.getAttribute("data-index"), 10) >= first && empty) { removeRow(table, r); }
      });
    });
    refresh(table);
  }

  window.ClerkLines = { setup: setup };
})();
