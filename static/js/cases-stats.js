// 诉求工单统计图表：数据来自页面上的 <script type="application/json" id="case-stats">（CSP 不允许内联脚本）。
(function () {
  "use strict";
  var source = document.getElementById("case-stats");
  if (!source || !window.echarts) { return; }
  var stats = JSON.parse(source.textContent);
  var palette = ["#c8161d", "#f59e0b", "#2563eb", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var rows = stats[el.dataset.key] || [];
    var chart = window.echarts.init(el);
    var option;
    if (!rows.length) {
      option = { title: { text: "暂无数据", left: "center", top: "middle", textStyle: { color: "#9ca3af", fontSize: 14 } } };
    } else if (el.dataset.chart === "pie") {
      option = {
        color: palette,
        tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["38%", "68%"], center: ["50%", "45%"],
          data: rows.map(function (r) { return { name: r.name, value: r.value }; }),
          label: { formatter: "{b}\n{c}" } }]
      };
    } else {
      option = {
        color: palette,
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 16, bottom: 60 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
          axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", barMaxWidth: 36, data: rows.map(function (r) { return r.value; }) }]
      };
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
