/* borderrisk map runtime: a data layer from its columnar spec (render/elements.py DataLayer):
 * points, clustered or not, shapes, or aggregated cells, each feature with its popup and
 * tooltip. The runtime keeps each layer's spec and dates in its record (br.of(layer)). */
(function (br) {
  "use strict";

  function shapeFeatures(spec) {
    var out = new Array(spec.n);
    for (var i = 0; i < spec.n; i++) out[i] = { type: "Feature", geometry: spec.geoms[i], properties: { i: i } };
    return { type: "FeatureCollection", features: out };
  }

  function shapeGroup(spec, interactive) {
    return L.geoJSON(shapeFeatures(spec), {
      style: function (f) { return br.styleOf(spec, f.properties.i); },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, br.styleOf(spec, f.properties.i)); },
      interactive: interactive,
      onEachFeature: function (f, layer) { br.of(layer).index = f.properties.i; }
    });
  }

  /* A feature's popup on click, its tooltip while pointed at. */
  function bindFeatures(map, group, spec) {
    var tip = L.tooltip({ sticky: false, direction: "top", className: "br-tooltip" });
    group.on("click", function (e) {
      br.popupAt(map, e.latlng, br.popupContent(map, spec, br.of(e.layer).index));
    });
    group.on("mouseover", function (e) {
      tip.setLatLng(e.latlng).setContent(br.tooltipContent(map, spec, br.of(e.layer).index));
      map.openTooltip(tip);
    });
    group.on("mouseout", function () { map.closeTooltip(tip); });
  }

  function addLayer(map, spec) {
    var state = br.mapState(map);
    if (spec.packed) { spec.geoms = br.unpackGeoms(spec.packed); delete spec.packed; }
    if (spec.grid) return br.gridLayer(map, spec);
    var interactive = spec.interactive !== false;
    var group = spec.x ? br.pointGroup(map, spec, interactive) : shapeGroup(spec, interactive);
    br.of(group).spec = spec;
    if (interactive) bindFeatures(map, group, spec);
    if (spec.time) {
      br.of(group).times = br.timesOf(spec);
      state.timed.push(group);
    }
    state.layers.push(group);
    return group;
  }

  Object.assign(br, { addLayer: addLayer });
})(window.borderrisk);
