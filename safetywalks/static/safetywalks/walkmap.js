// Clicking the walk map writes positions into the form (no inline script: CSP). The <svg> carries its
// projection (equirectangular: x = (lon - minLon) * kx, y = (maxLat - lat) * ky); every field can be typed too.
document.querySelectorAll("svg[data-walkmap]").forEach(function (svg) {
  var mode = svg.dataset.walkmap;
  if (mode !== "route" && mode !== "point") { return; }
  var minLon = parseFloat(svg.dataset.minLon), maxLat = parseFloat(svg.dataset.maxLat);
  var kx = parseFloat(svg.dataset.kx), ky = parseFloat(svg.dataset.ky);
  var pick = svg.querySelector(".walk-pick"), draft = svg.querySelector(".walk-route-draft");
  var route = document.getElementById("id_route_text");
  var lat = document.getElementById("id_latitude"), lon = document.getElementById("id_longitude");

  function toSvg(la, lo) { return [((lo - minLon) * kx).toFixed(1), ((maxLat - la) * ky).toFixed(1)]; }

  function drawDraft() {
    if (!route || !draft) { return; }
    var pts = route.value.split("\n").map(function (line) {
      var m = line.match(/^\s*(-?\d+(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d+(?:[.,]\d+)?)\s*$/);
      return m ? toSvg(parseFloat(m[1].replace(",", ".")), parseFloat(m[2].replace(",", "."))).join(",") : null;
    }).filter(Boolean);
    draft.setAttribute("points", pts.join(" "));
  }

  svg.addEventListener("click", function (event) {
    var pt = svg.createSVGPoint();
    pt.x = event.clientX; pt.y = event.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    var la = (maxLat - p.y / ky).toFixed(6), lo = (minLon + p.x / kx).toFixed(6);
    if (mode === "point" && lat && lon) {
      lat.value = la; lon.value = lo;
      pick.setAttribute("cx", p.x.toFixed(1)); pick.setAttribute("cy", p.y.toFixed(1));
    } else if (mode === "route" && route) {
      route.value = (route.value.trim() ? route.value.trim() + "\n" : "") + la + ", " + lo;
      drawDraft();
    }
  });
  if (route) { route.addEventListener("input", drawDraft); drawDraft(); }
});
