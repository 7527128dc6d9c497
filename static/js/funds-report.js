// 补贴统计图表：数据来自页面上的 <script type="application/json" id="funds-report">（CSP 不允许内联脚本）。
(function () {
  "use strict";
  var source = document.getElementById("funds-report");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#c8161d", "#f59e0b", "#2563eb", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
  var yuan = function (v) { return v == null ? "—" : Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 元"; };
  function bars(rows, series) {
    return {
      color: palette,
      tooltip: { trigger: "axis", valueFormatter: yuan },
      legend: { bottom: 0 },
      grid: { left: 70, right: 16, top: 16, bottom: 70 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
        axisLabel: { interval: 0, rotate: rows.length > 3 ? 25 : 0 } },
      yAxis: { type: "value" },
      series: series.map(function (s) {
        return { name: s[1], type: "bar", data: rows.map(function (r) { return r[s[0]]; }) };
      })
    };
  }
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var rows = data[el.dataset.key] || [];
    var chart = window.echarts.init(el);
    var kind = el.dataset.chart;
    var option;
    if (!rows.length) {
      option = { title: { text: "暂无数据", left: "center", top: "middle", textStyle: { color: "#9ca3af", fontSize: 14 } } };
    } else if (kind === "pie") {
      option = { color: palette, tooltip: { trigger: "item", valueFormatter: yuan }, legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["38%", "66%"], center: ["50%", "45%"], data: rows }] };
    } else if (kind === "budget") {
      option = bars(rows, [["budget", "预算"], ["committed", "已承诺"], ["paid", "已支付"]]);
    } else if (kind === "district") {
      option = bars(rows, [["approved", "批准"], ["paid", "支付"]]);
    } else {
      option = bars(rows, [["per_new_form_member", "每名新就业形态会员"]]);
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
