/* Drafts kept in this browser (localStorage): what someone writes in a comment or a post
   survives a reload, a lost connection or a closed tab, and they are told so. A form opts in
   with data-draft-key (which names the page and the person); the draft goes once the text is
   sent and accepted (the next page has no refusal for this form). */
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; store.getItem("x"); } catch (e) { return; }

  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var key = "draft:" + form.dataset.draftKey;
    var notice = form.querySelector("[data-draft-notice]");
    var fields = Array.prototype.filter.call(form.elements, function (el) {
      return el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text");
    });
    function show(part, on) {
      var node = notice && notice.querySelector("[data-draft-" + part + "]");
      if (node) node.hidden = !on;
      if (notice) notice.hidden = !notice.querySelector("[data-draft-restored]:not([hidden]), [data-draft-saving]:not([hidden])");
    }
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    var refused = !!form.querySelector("[data-error-summary]") || !!form.closest("section") && !!form.closest("section").querySelector("[data-error-summary]");
    if (saved && saved.sent && !refused) {
      store.removeItem(key);  // sent and accepted
      saved = null;
    }
    if (saved && saved.values) {
      var restored = false;
      fields.forEach(function (el) {
        var value = saved.values[el.name];
        if (value && !el.value.trim()) { el.value = value; restored = true; }
      });
      if (restored) { show("restored", true); show("discard", true); }
    }
    function save() {
      var values = {}, any = false;
      fields.forEach(function (el) { values[el.name] = el.value; if (el.value.trim()) any = true; });
      if (any) {
        store.setItem(key, JSON.stringify({ values: values, at: Date.now() }));
        show("saving", true); show("discard", true);
      } else {
        store.removeItem(key);
      }
    }
    var timer = null;
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 400); });
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      save();
      var draft = store.getItem(key);
      if (draft) { var data = JSON.parse(draft); data.sent = true; store.setItem(key, JSON.stringify(data)); }
    });
    var discard = notice && notice.querySelector("[data-draft-discard]");
    if (discard) discard.addEventListener("click", function () {
      store.removeItem(key);
      fields.forEach(function (el) { if (el.type !== "hidden") el.value = ""; });
      show("restored", false); show("saving", false); show("discard", false);
    });
  });
})();
