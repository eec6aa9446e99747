/* borderrisk map runtime: the score series in popups, as inline SVG built node by node. */
(function (br) {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  /* A sparkline, or with full=true a chart with its highest value and first and last periods
   * written as text in the map's language. */
  function lineChart(map, values, periods, full) {
    var w = full ? 300 : 220, h = full ? 96 : 30;
    var left = full ? 34 : 2, bottom = full ? 16 : 2, top = full ? 8 : 2;
    var high = Math.max.apply(null, values.concat([0.5])), low = Math.min.apply(null, values.concat([0]));
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", w);
    svg.setAttribute("height", h);
    svg.setAttribute("class", "br-popup-chart");
    function node(tag, attrs, text) {
      var n = document.createElementNS(SVG, tag);
      Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
      if (text !== undefined) n.textContent = text;
      svg.appendChild(n);
      return n;
    }
    var x = function (k) { return left + (k * (w - left - 4)) / (values.length - 1); };
    var y = function (v) { return top + ((high - v) * (h - top - bottom)) / (high - low || 1); };
    if (full) {
      node("line", { x1: left, y1: y(low), x2: w - 4, y2: y(low), stroke: "#999" });
      node("line", { x1: left, y1: y(high), x2: w - 4, y2: y(high), stroke: "#ddd" });
      node("text", { x: left - 4, y: y(high) + 4, "text-anchor": "end", "font-size": 10 }, br.number(map, high, 1));
      node("text", { x: left - 4, y: y(low) + 4, "text-anchor": "end", "font-size": 10 }, br.number(map, low, 1));
      node("text", { x: left, y: h - 3, "font-size": 10 }, br.formatDate(map, periods[0]));
      var end = br.formatDate(map, periods[periods.length - 1]);
      node("text", { x: w - 4, y: h - 3, "text-anchor": "end", "font-size": 10 }, end);
    }
    var points = values.map(function (v, k) { return x(k).toFixed(1) + "," + y(v).toFixed(1); }).join(" ");
    node("polyline", { points: points, fill: "none", stroke: "#bd0026", "stroke-width": full ? 1.5 : 1.2 });
    var last = values.length - 1;
    node("circle", { cx: x(last), cy: y(values[last]), r: 2.5, fill: "#bd0026" });
    return svg;
  }

  Object.assign(br, { lineChart: lineChart });
})(window.borderrisk);
