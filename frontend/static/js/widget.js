/* The catalogue widget for member portals (docs/embedding.md).
 *
 *   <script src="https://CATALOGUE/embed/widget.js" defer></script>
 *   <div data-catalog-agency="STTTT"></div>
 *
 * Each such div gets a search box and the agency's procedures, read from the feed API
 * (/api/v1/procedures/) of the site the script came from. No dependencies; the DOM is built with
 * createElement and textContent only, so nothing from the feed is ever parsed as HTML. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  // The catalogue's root is the script's folder's parent (…/embed/widget.js), wherever it is.
  var ROOT = new URL("../", script.src);
  var PAGE_SIZE = 20;
  var STRINGS = {
    vi: {
      label: "Tìm thủ tục",
      button: "Tìm",
      loading: "Đang tải…",
      count: function (n) { return n + " thủ tục"; },
      none: "Không có thủ tục nào phù hợp.",
      more: "Xem thêm",
      level: function (n) { return "Mức độ " + n; },
      abolished: "Đã bãi bỏ",
      error: "Không tải được danh mục thủ tục. Hãy thử lại sau."
    },
    en: {
      label: "Find a procedure",
      button: "Search",
      loading: "Loading…",
      count: function (n) { return n + (n === 1 ? " procedure" : " procedures"); },
      none: "No matching procedures.",
      more: "Show more",
      level: function (n) { return "Level " + n; },
      abolished: "Abolished",
      error: "The procedure catalogue could not be loaded. Please try again later."
    }
  };
  // Zero specificity (:where), first in <head>: any rule of the portal's wins.
  var CSS =
    ":where(.tt-catalog){--tt-font:inherit;--tt-color:inherit;--tt-background:transparent;" +
    "--tt-link:#0b4f9c;--tt-accent:#0b4f9c;--tt-accent-text:#fff;--tt-border:#767676;" +
    "--tt-divider:#ddd;--tt-muted:#4a4a4a;--tt-gap:.5rem;--tt-radius:4px;" +
    "font:var(--tt-font);color:var(--tt-color);background:var(--tt-background)}" +
    ":where(.tt-search){display:flex;flex-wrap:wrap;gap:var(--tt-gap);align-items:end}" +
    ":where(.tt-label){flex-basis:100%;font-weight:600}" +
    ":where(.tt-input){flex:1 1 12rem;min-width:0;padding:.4rem;font:inherit;" +
    "border:1px solid var(--tt-border);border-radius:var(--tt-radius)}" +
    ":where(.tt-button){padding:.4rem 1rem;font:inherit;color:var(--tt-accent-text);" +
    "background:var(--tt-accent);border:0;border-radius:var(--tt-radius);cursor:pointer}" +
    ":where(.tt-status){margin:var(--tt-gap) 0}" +
    ":where(.tt-list){list-style:none;margin:0 0 var(--tt-gap);padding:0}" +
    ":where(.tt-item){padding:var(--tt-gap) 0;border-bottom:1px solid var(--tt-divider)}" +
    ":where(.tt-link){color:var(--tt-link)}" +
    ":where(.tt-meta){display:block;color:var(--tt-muted);font-size:.875em}" +
    ":where(.tt-more)[hidden]{display:none}";
  var mounted = 0;

  function injectStyle() {
    if (document.getElementById("tt-style")) return;
    var style = document.createElement("style");
    style.id = "tt-style";
    style.textContent = CSS;
    document.head.insertBefore(style, document.head.firstChild);
  }

  function language(value) {
    return (value || "").trim().toLowerCase().slice(0, 2) === "en" ? "en" : "vi";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Only http(s) addresses become links: a javascript: or data: URL from the feed never does.
  function safeUrl(value) {
    try {
      var url = new URL(value, ROOT);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function feedUrl(filters, q, page) {
    var url = new URL("api/v1/procedures/", ROOT);
    Object.keys(filters).forEach(function (key) {
      if (filters[key]) url.searchParams.set(key, filters[key]);
    });
    if (q) url.searchParams.set("q", q);
    url.searchParams.set("page", String(page));
    url.searchParams.set("page_size", String(PAGE_SIZE));
    return url.href;
  }

  function item(record, t) {
    var li = element("li", "tt-item");
    var href = safeUrl(record.url);
    var title = element(href ? "a" : "span", "tt-link", record.title);
    if (href) title.href = href;
    var meta = [record.code];
    if (record.field && record.field.name) meta.push(record.field.name);
    meta.push(t.level(record.level));
    if (record.status === "abolished") meta.push(t.abolished);
    li.appendChild(title);
    li.appendChild(element("span", "tt-meta", meta.join(" · ")));
    return li;
  }

  function build(root, t) {
    var id = "tt-q-" + ++mounted;
    var form = element("form", "tt-search");
    form.setAttribute("role", "search");
    var label = element("label", "tt-label", t.label);
    label.htmlFor = id;
    var input = element("input", "tt-input");
    input.type = "search";
    input.id = id;
    input.name = "q";
    input.maxLength = 200;
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(element("button", "tt-button", t.button));
    var status = element("p", "tt-status", t.loading);
    status.setAttribute("role", "status");
    var list = element("ul", "tt-list");
    var more = element("button", "tt-button tt-more", t.more);
    more.type = "button";
    more.hidden = true;
    var box = element("div", "tt-catalog");
    [form, status, list, more].forEach(function (part) { box.appendChild(part); });
    root.replaceChildren(box);
    return { form: form, input: input, status: status, list: list, more: more };
  }

  function mount(root) {
    if (root.hasAttribute("data-catalog-mounted")) return;
    root.setAttribute("data-catalog-mounted", "");
    var data = root.dataset;
    var lang = language(data.catalogLang || document.documentElement.lang);
    var t = STRINGS[lang];
    var filters = {
      agency: data.catalogAgency,
      field: data.catalogField,
      tier: data.catalogTier,
      level: data.catalogLevel,
      lang: lang
    };
    var ui = build(root, t);
    var state = { q: "", page: 1, request: null };

    function show(answer, append) {
      if (!append) ui.list.replaceChildren();
      var first = null;
      answer.results.forEach(function (record) {
        var li = item(record, t);
        first = first || li;
        ui.list.appendChild(li);
      });
      if (!answer.count) ui.list.appendChild(element("li", "tt-item", t.none));
      ui.status.textContent = t.count(answer.count);
      ui.more.hidden = !answer.next;
      // After "show more", carry on reading at the first new procedure.
      if (append && first) first.firstChild.focus();
    }

    function load(append) {
      if (state.request) state.request.abort();
      var request = (state.request = new AbortController());
      ui.status.textContent = t.loading;
      fetch(feedUrl(filters, state.q, state.page), { signal: request.signal })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (answer) { show(answer, append); })
        .catch(function (error) {
          if (error.name !== "AbortError") ui.status.textContent = t.error;
        });
    }

    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.q = ui.input.value.normalize("NFC").trim();
      state.page = 1;
      load(false);
    });
    ui.more.addEventListener("click", function () {
      state.page += 1;
      load(true);
    });
    load(false);
  }

  function mountAll() {
    var roots = document.querySelectorAll("[data-catalog-agency]");
    if (!roots.length) return;
    injectStyle();
    Array.prototype.forEach.call(roots, mount);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
