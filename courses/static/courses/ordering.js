/* Ordering questions: a list the learner rearranges by dragging (mouse, pen or finger) or with
   the "Move up" / "Move down" buttons (keyboard), instead of a position per item. The
   position selects stay in the form, hidden, and this script keeps them in step with the list:
   the form posts exactly what it posts without JavaScript. Labels come from the page
   (data-* attributes, translated by the server). */
(function () {
  "use strict";

  function button(text, label, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "ordering-move " + className;
    var icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = text;
    var words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = label;
    b.append(icon, words);
    return b;
  }

  function init(box) {
    var rows = Array.prototype.slice.call(box.querySelectorAll(".match-row"));
    if (rows.length < 2) return;
    var items = rows.map(function (row) {
      return { row: row, select: row.querySelector("select"), label: row.querySelector("label").textContent };
    });
    // A refilled form (after a slip) keeps the learner's order when it is a whole order.
    var chosen = items.map(function (i) { return parseInt(i.select.value, 10); });
    var whole = chosen.every(function (p) { return p >= 1; }) && new Set(chosen).size === items.length;
    if (whole) items.sort(function (a, b) { return parseInt(a.select.value, 10) - parseInt(b.select.value, 10); });

    var list = document.createElement("ol");
    list.className = "ordering-list";
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");

    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "ordering-item";
      li.orderingItem = item;
      var handle = document.createElement("span");
      handle.className = "ordering-handle";
      handle.setAttribute("aria-hidden", "true");
      handle.textContent = "⠿";
      var number = document.createElement("span");
      number.className = "ordering-position";
      number.setAttribute("aria-hidden", "true");
      var text = document.createElement("span");
      text.className = "ordering-text";
      text.textContent = item.label;
      var up = button("↑", box.dataset.moveUp + ": " + item.label, "ordering-up");
      var down = button("↓", box.dataset.moveDown + ": " + item.label, "ordering-down");
      up.addEventListener("click", function () { move(li, -1, up); });
      down.addEventListener("click", function () { move(li, 1, down); });
      li.append(handle, number, text, up, down);
      li.addEventListener("pointerdown", startDrag);
      list.appendChild(li);
    });
    rows.forEach(function (row) { row.hidden = true; });
    box.append(list, live);
    var hint = box.querySelector("[data-ordering-hint]");
    if (hint) hint.hidden = false;
    var fieldset = box.closest("fieldset");
    var selectHint = fieldset && fieldset.querySelector("[data-ordering-select-hint]");
    if (selectHint) selectHint.hidden = true;
    sync();

    function sync() {
      var lis = list.children;
      for (var i = 0; i < lis.length; i++) {
        lis[i].orderingItem.select.value = String(i + 1);
        lis[i].querySelector(".ordering-position").textContent = String(i + 1) + ".";
        lis[i].querySelector(".ordering-up").disabled = i === 0;
        lis[i].querySelector(".ordering-down").disabled = i === lis.length - 1;
      }
    }

    function announce(li) {
      var position = Array.prototype.indexOf.call(list.children, li) + 1;
      live.textContent = box.dataset.moved
        .replace("%(item)s", li.orderingItem.label)
        .replace("%(position)s", position)
        .replace("%(count)s", list.children.length);
    }

    function move(li, step, pressed) {
      var other = step < 0 ? li.previousElementSibling : li.nextElementSibling;
      if (!other) return;
      list.insertBefore(li, step < 0 ? other : other.nextElementSibling);
      sync();
      // Keep the keyboard where it was; at either end, on the button still usable.
      (pressed.disabled ? li.querySelector(step < 0 ? ".ordering-down" : ".ordering-up") : pressed).focus();
      announce(li);
    }

    // Listened for on the document, not captured by the item: moving a node in the DOM
    // drops its pointer capture, and the drag would stop after the first step.
    var dragged = null;
    function startDrag(event) {
      if (event.target.closest("button") || event.button > 0) return;
      dragged = event.currentTarget;
      dragged.classList.add("is-dragging");
      document.addEventListener("pointermove", onDrag);
      document.addEventListener("pointerup", endDrag);
      document.addEventListener("pointercancel", endDrag);
      event.preventDefault();
    }
    function onDrag(event) {
      var lis = Array.prototype.slice.call(list.children);
      for (var i = 0; i < lis.length; i++) {
        if (lis[i] === dragged) continue;
        var rect = lis[i].getBoundingClientRect();
        if (event.clientY >= rect.top && event.clientY <= rect.bottom) {
          var before = event.clientY < rect.top + rect.height / 2;
          list.insertBefore(dragged, before ? lis[i] : lis[i].nextElementSibling);
          sync();
          break;
        }
      }
    }
    function endDrag() {
      if (!dragged) return;
      document.removeEventListener("pointermove", onDrag);
      document.removeEventListener("pointerup", endDrag);
      document.removeEventListener("pointercancel", endDrag);
      dragged.classList.remove("is-dragging");
      announce(dragged);
      dragged = null;
    }
  }

  document.querySelectorAll("[data-ordering]").forEach(init);
})();
