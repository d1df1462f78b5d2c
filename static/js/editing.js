/* Progressive enhancement of the editing forms. Everything works without this file:
   - EDTF date fields get a live "what this means" preview (the server shows it on every reload too);
   - record pickers (an id input) get a type-ahead search by name (accessible-autocomplete, from npm);
   - the error summary takes the focus after a refused submission. */
(function () {
  "use strict";

  var form = document.querySelector("form.state-form[data-edtf-url]");

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, wait);
    };
  }

  function getJSON(url, done) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { done(data); } })
      .catch(function () { /* the server-side preview still works on the next reload */ });
  }

  /* ---------------------------------------------------------------- EDTF preview */
  function setupDate(input) {
    var output = document.getElementById(input.dataset.preview);
    if (!output) { return; }
    var update = debounce(function () {
      var value = input.value.trim();
      if (!value) { output.textContent = ""; output.classList.remove("invalid"); return; }
      getJSON(form.dataset.edtfUrl + "?value=" + encodeURIComponent(value), function (data) {
        if (input.value.trim() !== value) { return; }
        output.textContent = data.valid ? data.text : data.error;
        output.classList.toggle("invalid", !data.valid);
      });
    }, 300);
    input.addEventListener("input", update);
  }

  /* ---------------------------------------------------------------- record pickers */
  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function showName(target, result) {
    target.textContent = "";
    if (!result) { return; }
    var link = document.createElement("a");
    link.href = "/" + result.plural + "/" + result.id + "/";
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = result.name;
    var extra = document.createElement("span");
    extra.className = "muted";
    extra.textContent = " (" + result.id + ")";
    target.appendChild(link);
    target.appendChild(extra);
  }

  var counter = 0;
  function setupPicker(picker) {
    var idInput = picker.querySelector("input.record-id");
    var nameTarget = document.getElementById(picker.dataset.nameTarget);
    if (!idInput || !window.accessibleAutocomplete) { return; }
    counter += 1;
    var searchId = idInput.id + "-search";
    var box = document.createElement("div");
    box.className = "lookup";
    var label = document.createElement("label");
    label.className = "visually-hidden";
    label.setAttribute("for", searchId);
    var owner = picker.closest(".field, .row");
    var ownerLabel = owner ? owner.querySelector("label, legend") : null;
    label.textContent = form.dataset.searchLabel + (ownerLabel ? ": " + ownerLabel.textContent.trim() : "");
    box.appendChild(label);
    picker.appendChild(box);
    var types = picker.dataset.types || "";
    window.accessibleAutocomplete({
      element: box,
      id: searchId,
      minLength: 2,
      name: "",
      displayMenu: "overlay",
      confirmOnBlur: false,
      placeholder: form.dataset.searchPlaceholder,
      tNoResults: function () { return form.dataset.searchNone; },
      tStatusQueryTooShort: function () { return ""; },
      source: debounce(function (query, populate) {
        var url = form.dataset.lookupUrl + "?types=" + encodeURIComponent(types) + "&q=" + encodeURIComponent(query);
        getJSON(url, function (data) { populate(data.results || []); });
      }, 200),
      templates: {
        inputValue: function (result) { return result ? result.name : ""; },
        suggestion: function (result) {
          if (!result) { return ""; }
          if (typeof result === "string") { return escapeHTML(result); }
          return escapeHTML(result.name) + ' <span class="muted">(' + escapeHTML(result.type_label) + ", " + result.id + ")</span>";
        }
      },
      onConfirm: function (result) {
        if (!result) { return; }
        idInput.value = String(result.id);
        showName(nameTarget, result);
        idInput.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll("input.edtf-input"), setupDate);
    Array.prototype.forEach.call(form.querySelectorAll(".picker"), setupPicker);
  }

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
