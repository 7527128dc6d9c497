// Small page behaviours that need no framework. Loaded with defer; CSP allows only same-origin scripts.
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  if (target) {
    target.innerHTML = '<p class="error" role="alert">操作失败，请稍后重试</p>';
  }
});

// Tree toggles: the first click loads children via htmx; later clicks just fold and unfold.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".toggle[hx-get]");
  if (!button) return;
  const kids = document.getElementById(button.getAttribute("hx-target").slice(1));
  if (button.dataset.loaded) {
    event.preventDefault();
    event.stopImmediatePropagation();
    const open = kids.hidden;
    kids.hidden = !open;
    button.textContent = open ? "▾" : "▸";
  }
}, true);

document.addEventListener("htmx:afterSwap", (event) => {
  const kids = event.detail.target;
  if (!kids.classList || !kids.classList.contains("kids")) return;
  const button = kids.parentElement.querySelector(":scope > .node-row > .toggle");
  if (button) {
    button.dataset.loaded = "1";
    button.textContent = "▾";
  }
});

// A header checkbox that ticks every row of its table (batch approval, batch confirmation).
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-check-all]");
  if (!all) return;
  const table = all.closest("table");
  for (const box of table.querySelectorAll(`tbody input[type=checkbox][name="${all.dataset.checkAll}"]`)) {
    box.checked = all.checked;
  }
});

// Failed forms (core/_form_errors.html): the summary at the top takes the focus, so the worker sees
// every error without scrolling; a link in it focuses the field it names.
function focusFormErrors(root) {
  const box = (root || document).querySelector("[data-focus-me]");
  if (!box) return;
  box.removeAttribute("data-focus-me");
  box.scrollIntoView({ block: "start" });
  box.focus({ preventScroll: true });
}
document.addEventListener("DOMContentLoaded", () => focusFormErrors(document));
document.addEventListener("htmx:afterSettle", (event) => focusFormErrors(event.detail.elt));
document.addEventListener("click", (event) => {
  const link = event.target.closest(".form-errors a[data-field]");
  if (!link) return;
  const form = link.closest("form") || document;
  const input = form.querySelector(`[name="${link.dataset.field}"]`) || document.querySelector(`[name="${link.dataset.field}"]`);
  if (!input) return;
  event.preventDefault();
  const details = input.closest("details");
  if (details) details.open = true;
  input.focus();
});

// Progressive enhancement marker: buttons only needed without JavaScript carry .js-hide.
document.documentElement.classList.add("js");

// "您是不是指…": a suggestion fills the field it names.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-fill]");
  if (!button) return;
  const form = button.closest("form") || document;
  const input = form.querySelector(`[name="${button.dataset.fill}"]`);
  if (!input) return;
  input.value = button.dataset.value;
  const box = button.closest(".suggest");
  if (box) box.remove();
  input.focus();
});

// "使用我的位置": the browser's position (WGS-84) goes to the server, which answers with the picker set
// to the region of the nearest union. Nothing is stored.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-locate]");
  if (!button || !navigator.geolocation || !window.htmx) return;
  button.disabled = true;
  button.textContent = "正在定位…";
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      htmx.ajax("GET", button.dataset.locate, {
        target: "#region-picker",
        swap: "outerHTML",
        values: { lat: pos.coords.latitude, lng: pos.coords.longitude, coord: "wgs84" },
      });
    },
    () => {
      button.disabled = false;
      button.textContent = "无法定位，请手动选择";
    },
    { timeout: 8000, maximumAge: 600000 },
  );
});
