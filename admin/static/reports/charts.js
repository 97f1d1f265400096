/* Report charts: each <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">.
   Chart.js (vendor/chartjs) is loaded before this file; no inline scripts (CSP). */
(function () {
  "use strict";
  var COLOURS = ["#166534", "#65a30d", "#d97706", "#b91c1c"];
  var BARS = "#1d4f91";
  var charts = [];

  function readData(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function trendConfig(data) {
    var sets = data.levels.map(function (level, i) {
      return { type: "bar", label: level.label, data: level.data, backgroundColor: COLOURS[i],
               stack: "levels", yAxisID: "count", order: 1 };
    });
    sets.push({ type: "line", label: data.index.label, data: data.index.data, yAxisID: "index",
                borderColor: "#111", backgroundColor: "#111", spanGaps: true, tension: 0,
                order: 0 });
    return {
      data: { labels: data.labels, datasets: sets },
      options: { scales: {
        count: { type: "linear", position: "left", stacked: true, beginAtZero: true,
                 ticks: { precision: 0 } },
        index: { type: "linear", position: "right", min: 0, max: 100,
                 grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return v + "%"; } } },
        x: { stacked: true }
      } }
    };
  }

  function barsConfig(data) {
    return {
      type: "bar",
      data: { labels: data.labels, datasets: [{ data: data.data, backgroundColor: BARS }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    };
  }

  function draw(canvas) {
    var data = readData(canvas.getAttribute("data-chart"));
    if (!data) { return; }
    var config = data.kind === "trend" ? trendConfig(data) : barsConfig(data);
    config.options.animation = false;  /* printing never catches a half-drawn chart */
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    charts.push(new window.Chart(canvas, config));
  }

  function copyButton(button) {
    button.addEventListener("click", function () {
      var text = document.getElementById(button.getAttribute("data-copy")).textContent.trim();
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
  document.querySelectorAll("button[data-copy]").forEach(copyButton);
  /* Redraw at the paper's width so printed charts are sharp and fit the page. */
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  window.addEventListener("afterprint", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  document.documentElement.setAttribute("data-charts", String(charts.length));
})();
