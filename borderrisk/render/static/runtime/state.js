/* borderrisk map runtime: the namespace every module registers in (window.borderrisk, the
 * runtime's only global), and what the runtime keeps about Leaflet objects. That state lives in
 * a WeakMap, not in properties added to Leaflet's objects, so it cannot clash with Leaflet's
 * own fields and goes when the object goes. Everything kept about a map (its layers, dated
 * layers, language) is that map's own, so several maps in one page stay apart.
 * Loaded first: the other modules look each other up in the namespace when called. */
(function () {
  "use strict";

  var br = (window.borderrisk = {});
  var records = new WeakMap();
  var mapsByContainer = new WeakMap();

  /* The runtime's record for a Leaflet object (a map, layer or marker), made on first use. */
  function of(thing) {
    var record = records.get(thing);
    if (!record) records.set(thing, (record = {}));
    return record;
  }

  /* The runtime's state for one map, made on first use; its container is marked .br-map. */
  function mapState(map) {
    var state = of(map);
    if (!state.layers) {
      state.layers = [];
      state.timed = [];
      map.getContainer().classList.add("br-map");
      mapsByContainer.set(map.getContainer(), map);
    }
    return state;
  }

  /* Every borderrisk map in the page, in page order. */
  function maps() {
    return Array.prototype.map.call(document.querySelectorAll(".br-map"), function (c) { return mapsByContainer.get(c); });
  }

  /* The map asked for, or the page's only map. */
  function mapOf(map) {
    if (map) return map;
    var all = maps();
    if (all.length !== 1) throw new Error("the page has " + all.length + " borderrisk maps: say which one");
    return all[0];
  }

  /* The data layers of a map (by default the page's only map), for scripts. */
  function layers(map) { return mapState(mapOf(map)).layers; }

  /* The data a map's script reads from a JSON block of the page (render/elements.py). */
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }

  Object.assign(br, { of: of, mapState: mapState, maps: maps, mapOf: mapOf, layers: layers, data: data });
})();
