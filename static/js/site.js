/* Bailanys — progressive enhancement only: every page works without this file.
   1. Filters fold away on narrow screens.
   2. Place and country fields suggest places as you type (the API's search), submitting the id.
   3. "Copy" buttons for the citation formats. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var TEXT = {
    en: { copy: "Copy", copied: "Copied", results: "suggestions available, use up and down arrows" },
    ru: { copy: "Копировать", copied: "Скопировано", results: "вариантов, выбирайте стрелками вверх и вниз" },
    kk: { copy: "Көшіру", copied: "Көшірілді", results: "нұсқа, жоғары және төмен көрсеткілерімен таңдаңыз" }
  }[lang] || null;
  if (!TEXT) { TEXT = { copy: "Copy", copied: "Copied", results: "suggestions" }; }

  // 1. Filters: open by default (no script), folded on phones once the script runs.
  var filters = document.querySelector(".filters-box");
  if (filters && window.matchMedia("(max-width: 60rem)").matches && !document.querySelector(".facet-selected")) {
    filters.removeAttribute("open");
  }

  // 2. Type-ahead (ARIA 1.2 combobox with a listbox popup).
  function typeahead(input, index) {
    var param = input.name;
    var wrapper = document.createElement("div");
    wrapper.className = "typeahead";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = "typeahead-list-" + index;
    list.className = "typeahead-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrapper.appendChild(list);
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var hidden = null, items = [], active = -1, timer = null, last = "";

    function close() {
      list.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(i) {
      var options = list.querySelectorAll("li");
      options.forEach(function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && options[i]) { input.setAttribute("aria-activedescendant", options[i].id); options[i].scrollIntoView({ block: "nearest" }); }
    }
    function choose(i) {
      var item = items[i];
      if (!item) { return; }
      input.value = item.name;
      if (!hidden) {
        hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = param;
        wrapper.appendChild(hidden);
      }
      hidden.value = item.id;
      input.removeAttribute("name");
      close();
    }
    function show(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (item, n) {
        var li = document.createElement("li");
        li.id = list.id + "-" + n;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.name + " ";
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = item.hint;
        li.appendChild(hint);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(n); });
        list.appendChild(li);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = results.length + " " + TEXT.results;
      } else {
        close();
      }
    }
    function search() {
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      last = q;
      var url = "/api/v1/places/?page_size=8&q=" + encodeURIComponent(q) + (input.dataset.typeahead === "country" ? "&kind=country" : "");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (input.value.trim() !== q) { return; }
          show((data.results || []).map(function (place) {
            return { id: String(place.id), name: place.name_display || place.name, hint: place.kind + (place.iso_code ? " · " + place.iso_code : "") };
          }));
        })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      if (hidden) { hidden.remove(); hidden = null; input.name = param; }
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }
  document.querySelectorAll("input[data-typeahead]").forEach(typeahead);

  // 3. Copy buttons for "cite this record".
  if (navigator.clipboard) {
    document.querySelectorAll(".cite-text, .cite pre").forEach(function (element) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary copy-button";
      button.textContent = TEXT.copy;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(element.textContent.trim()).then(function () {
          button.textContent = TEXT.copied;
          setTimeout(function () { button.textContent = TEXT.copy; }, 2000);
        });
      });
      element.insertAdjacentElement("afterend", button);
    });
  }
})();
