/* borderrisk map runtime, debug mode only (BORDERRISK_PAGE_DEBUG=1 when the page is made, as the
 * test suite sets it): accessors and counters for tests, in borderrisk.debug. A normal page
 * carries none of this. Loaded last, so it wraps the runtime's functions as the page calls them. */
(function (br) {
  "use strict";

  var applied = new WeakMap();  /* map -> how often its dated layers were walked */
  var applyTime = br.applyTime;
  br.applyTime = function (map, until) {
    applied.set(map, (applied.get(map) || 0) + 1);
    return applyTime(map, until);
  };

  /* Where the names were last placed, on the map's container: data-br-labels (how many are
   * shown) and data-br-labels-zoom (at which zoom), so a test waits for the names to settle. */
  var labels = br.labels;
  br.labels = function (map, data) {
    map.on("brlabelsplaced", function (e) {
      map.getContainer().setAttribute("data-br-labels", e.shown);
      map.getContainer().setAttribute("data-br-labels-zoom", e.zoom);
    });
    return labels(map, data);
  };

  br.debug = {
    /* The spec a data layer was drawn from. */
    spec: function (layer) { return br.of(layer).spec; },
    /* The data layer of a map (by default the page's only map) with this name. */
    layer: function (name, map) {
      return br.layers(map).find(function (layer) { return br.of(layer).spec.name === name; });
    },
    /* [name, features shown] of each data layer of a map (by default the page's only map). */
    counts: function (map) {
      return br.layers(map).map(function (layer) { return [br.of(layer).spec.name, layer.getLayers().length]; });
    },
    /* How often the time filter walked the map's dated layers. */
    applied: function (map) { return applied.get(br.mapOf(map)) || 0; },
    /* How many of a dated layer's features the time filter shows (all, before it first ran). */
    shown: function (layer) {
      var all = br.of(layer).all;
      return all ? all.filter(function (feature) { return br.of(feature).shown; }).length : layer.getLayers().length;
    }
  };
})(window.borderrisk);
