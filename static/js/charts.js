// Draws every plotly figure on the page: <div data-plotly-figure="ID"> whose JSON
// lives in <script type="application/json" id="ID"> (no inline script: CSP).
document.querySelectorAll("[data-plotly-figure]").forEach(function (el) {
  var source = document.getElementById(el.dataset.plotlyFigure);
  if (!source || !window.Plotly) { return; }
  var fig = JSON.parse(source.textContent);
  var config = {responsive: true, displaylogo: false, locale: document.documentElement.lang};
  window.Plotly.newPlot(el, fig.data, fig.layout, config).then(function () {
    el.setAttribute("data-rendered", "true");
  });
});
