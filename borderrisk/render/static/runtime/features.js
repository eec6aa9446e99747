/* borderrisk map runtime: a layer's features as its columnar spec holds them (one column per
 * field) and the style each one is drawn with. */
(function (br) {
  "use strict";

  /* Feature i's value of a field. A column is a list of values, or {values, codes} when few
   * distinct values repeat. */
  function value(spec, field, i) {
    var column = spec.props[field];
    if (!column) return null;
    return column.codes ? column.values[column.codes[i]] : column[i];
  }

  /* A value as it is shown, or null when there is nothing to show. */
  function shown(v) {
    if (v === null || v === undefined || v === "") return null;
    if (Array.isArray(v)) return v.length ? v.join("; ") : null;
    return v;
  }

  function colorOf(spec, i) {
    var by = spec.colorBy;
    if (!by) return spec.style.color;
    var key = value(spec, by.field, i);
    return Object.prototype.hasOwnProperty.call(by.colors, key) ? by.colors[key] : by.other;
  }

  /* Feature i's Leaflet path style: the layer's, coloured, dashed and sized by its fields. */
  function styleOf(spec, i) {
    var style = Object.assign({}, spec.style);
    if (spec.colorBy) {
      var color = colorOf(spec, i);
      if (spec.colorBy.target !== "fill") style.color = color;
      style.fillColor = color;
    }
    if (spec.dashBy) {
      var dashed = spec.dashBy.values.indexOf(value(spec, spec.dashBy.field, i)) >= 0;
      style.dashArray = dashed ? "6 6" : null;
    }
    if (spec.radiusBy) {
      var r = value(spec, spec.radiusBy.field, i);
      style.radius = r === null ? spec.style.radius : spec.radiusBy.base + spec.radiusBy.step * r;
    }
    return style;
  }

  /* Milliseconds since 1970 of each feature's date ("2007", "2010-10" or "2023-07-16"). */
  function timesOf(spec) {
    var times = new Array(spec.n);
    for (var i = 0; i < spec.n; i++) {
      var d = br.parseDate(value(spec, spec.time, i));
      times[i] = d === null ? null : d.ms;
    }
    return times;
  }

  Object.assign(br, { value: value, shown: shown, styleOf: styleOf, timesOf: timesOf });
})(window.borderrisk);
