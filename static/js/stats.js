// 统计看板图表：数据来自页面上的 <script type="application/json" id="stats-charts">（CSP 不允许内联脚本）。
(function () {
  "use strict";
  var source = document.getElementById("stats-charts");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#c8161d", "#2563eb", "#f59e0b", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#6b7280"];
  var months = data.series.map(function (r) { return r.month; });
  var empty = { title: { text: "暂无数据", left: "center", top: "middle", textStyle: { color: "#6b7280", fontSize: 14 } } };
  function col(key) { return data.series.map(function (r) { return r[key]; }); }
  function neg(key) { return data.series.map(function (r) { return -r[key]; }); }
  var builders = {
    growth: function () {
      return {
        color: ["#059669", "#2563eb", "#f59e0b", "#6b7280", "#c8161d"],
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 48, right: 48, top: 16, bottom: 56 },
        xAxis: { type: "category", data: months },
        yAxis: [{ type: "value", name: "人", minInterval: 1 }, { type: "value", name: "在册", minInterval: 1 }],
        series: [
          { name: "新入会", type: "bar", stack: "flow", data: col("joins") },
          { name: "转入", type: "bar", stack: "flow", data: col("xfer_in") },
          { name: "转出", type: "bar", stack: "flow", data: neg("xfer_out") },
          { name: "退会", type: "bar", stack: "flow", data: neg("leaves") },
          { name: "期末在册", type: "line", yAxisIndex: 1, data: col("members") }
        ]
      };
    },
    share: function () {
      var series = [{ name: "新就业形态占比", type: "line", data: col("new_form_share"), connectNulls: true }];
      if (data.target_share !== null) {
        series[0].markLine = { symbol: "none", lineStyle: { type: "dashed", color: "#2563eb" },
          label: { formatter: "目标 {c}%" }, data: [{ yAxis: data.target_share }] };
      }
      return {
        color: palette, tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
        grid: { left: 48, right: 24, top: 24, bottom: 32 },
        xAxis: { type: "category", data: months },
        yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
        series: series
      };
    },
    pie: function (rows) {
      return {
        color: palette, tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["38%", "66%"], center: ["50%", "45%"],
          data: rows.map(function (r) { return { name: r.name, value: r.value }; }), label: { formatter: "{b}\n{c}" } }]
      };
    },
    bar: function (rows) {
      return {
        color: palette, tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 16, bottom: 64 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", barMaxWidth: 36, data: rows.map(function (r) { return r.value; }) }]
      };
    }
  };
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var kind = el.dataset.chart;
    var rows = el.dataset.key ? (data.breakdowns[el.dataset.key] || []) : data.series;
    var chart = window.echarts.init(el);
    chart.setOption(rows.length ? builders[kind](rows) : empty);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
