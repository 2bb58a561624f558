// Adds the reader's local time after each UTC time; the UTC text stays for readers without JS.
(function () {
  "use strict";
  var fmt;
  try {
    fmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "medium", timeStyle: "short"
    });
  } catch (e) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when.getTime())) { return; }
    var local = document.createElement("span");
    local.className = "local-time";
    local.textContent = " (" + fmt.format(when) + (zone ? ", " + zone : "") + ")";
    el.insertAdjacentElement("afterend", local);
  });
})();
