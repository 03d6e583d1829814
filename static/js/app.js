/* Portal Karier ASN: behaviour lives here, never inline (Content-Security-Policy forbids inline scripts). */
(function () {
  "use strict";

  // Charts: <canvas data-chart="id-of-json-script"> with {{ config|json_script:"id" }} holding a Chart.js config.
  function renderCharts(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.rendered) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var config = JSON.parse(source.textContent);
      config.options = config.options || {};
      config.options.maintainAspectRatio = false;
      config.options.animation = false;
      new Chart(canvas, config);
      canvas.dataset.rendered = "1";
    });
  }

  // <select data-picker="tags|search">: searchable chip picker / type-to-search list (Tom Select, vendored).
  function initPickers(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-picker]").forEach(function (el) {
      if (el.tomselect) return;
      var empty = el.dataset.pickerEmpty || "–";
      var options = {
        maxOptions: null,
        allowEmptyOption: true,
        hidePlaceholder: false,
        render: { no_results: function () { var d = document.createElement("div"); d.className = "no-results"; d.textContent = empty; return d; } }
      };
      if (el.dataset.picker === "tags") {
        options.plugins = { remove_button: { title: el.dataset.pickerRemove || "×" } };
        options.closeAfterSelect = false;
      }
      new TomSelect(el, options);
      // The combobox Tom Select adds carries the label; the original select stays only as form storage.
      el.setAttribute("aria-hidden", "true");
      el.tabIndex = -1;
    });
  }

  // <select data-autosubmit> submits its form on change.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
  });

  // <form data-confirm="Yakin?"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // Every POST form submits once: its submit buttons are disabled while the request is under way, so a
  // double click cannot send it twice (the server also refuses a repeat by its idempotency key).
  // Disabling waits a tick so the clicked button's name/value is still sent. Forms opting out: data-no-lock.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches || form.matches("[data-no-lock]")) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.submitting) { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  // Coming back with the browser's Back button shows the page from cache: make its forms usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[type=submit], button:not([type])").forEach(function (b) { b.disabled = false; });
    });
  });

  // <button data-print> prints the page.
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-print]");
    if (el) { event.preventDefault(); window.print(); }
  });

  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); initPickers(document); });
  document.addEventListener("htmx:afterSettle", function (event) { renderCharts(event.target); initPickers(event.target); });
  window.PortalASN = { renderCharts: renderCharts, initPickers: initPickers };
})();
