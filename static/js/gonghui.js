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
