/* borderrisk map runtime: a feature's popup and tooltip, built from its fields as text nodes
 * (never innerHTML), dates in the map's language. */
(function (br) {
  "use strict";

  /* A field's value as shown: dates in the map's language. */
  function shownField(map, spec, field, i) {
    var v = br.shown(br.value(spec, field, i));
    return v !== null && spec.dates && spec.dates.indexOf(field) >= 0 ? br.formatDate(map, v) : v;
  }

  function popupContent(map, spec, i) {
    var el = br.el, box = el("div", "br-popup");
    box.appendChild(el("div", "br-popup-title", br.shown(br.value(spec, spec.popup.title, i)) || spec.name));
    var table = el("table");
    spec.popup.fields.forEach(function (pair) {
      var v = shownField(map, spec, pair[0], i);
      if (v === null) return;
      var row = el("tr");
      row.appendChild(el("th", null, pair[1]));
      row.appendChild(el("td", null, v));
      table.appendChild(row);
    });
    box.appendChild(table);
    (spec.popup.charts || []).forEach(function (c) {
      var values = c.values[i];
      if (!values || values.length < 2) return;
      box.appendChild(el("div", "br-popup-chart-title", c.label));
      box.appendChild(br.lineChart(map, values, spec.popup.periods, c.full));
    });
    var source = br.shown(br.value(spec, "source", i)) || spec.source;
    box.appendChild(el("div", "br-popup-source", br.say(map, "source", source || br.say(map, "notGiven"))));
    return box;
  }

  function tooltipContent(map, spec, i) {
    var parts = spec.tooltip.map(function (f) { return shownField(map, spec, f, i); });
    return br.el("span", null, parts.filter(function (p) { return p !== null; }).join(" · "));
  }

  Object.assign(br, { popupContent: popupContent, tooltipContent: tooltipContent });
})(window.borderrisk);
