// Countdowns on the campaign pages: "还有 1天2小时3分4秒". The server decides when a campaign opens;
// this only shows the wait, and reloads the page at zero where asked so the grab button appears.
(function () {
  function format(ms) {
    let s = Math.max(0, Math.floor(ms / 1000));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    return (d ? d + "天" : "") + (h ? h + "小时" : "") + (m ? m + "分" : "") + s + "秒";
  }
  function tick() {
    const now = Date.now();
    document.querySelectorAll(".countdown[data-deadline]").forEach((el) => {
      const left = Date.parse(el.dataset.deadline) - now;
      if (left <= 0) {
        el.textContent = "已开始";
        if (el.dataset.reload && !el.dataset.reloaded) {
          el.dataset.reloaded = "1";
          window.location.reload();
        }
        return;
      }
      el.textContent = (el.closest(".cg-when") ? "还有 " : "") + format(left);
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    tick();
    setInterval(tick, 1000);
  });
})();
