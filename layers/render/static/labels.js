/* borderrisk map labels: country names where they fit and town names by population, placed
 * without overlap. Labels come in priority order (focus countries, countries by area, towns by
 * population); at every zoom each one that fits is shown unless a label before it already took
 * its place. Names are set as text, never as HTML. */
(function () {
  "use strict";

  var PADDING = 3;  /* pixels kept free around each label */

  function labelMarker(map, name, className) {
    var box = document.createElement("span");
    box.className = "br-label-text";
    box.textContent = name;
    var holder = document.createElement("div");
    holder.appendChild(box);
    return { text: box, icon: L.divIcon({ html: holder, className: "br-label " + className, iconSize: [0, 0] }) };
  }

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  /* The label's box in layer pixels at the current zoom: countries centred on their point,
   * towns starting at their dot. */
  function boxOf(map, label) {
    var p = map.latLngToLayerPoint(label.latlng), w = label.width, h = label.height;
    var left = label.town ? p.x - 4 : p.x - w / 2;
    return [left - PADDING, p.y - h / 2 - PADDING, left + w + PADDING, p.y + h / 2 + PADDING];
  }

  /* A country's name fits once its largest part is as wide as the name and half as tall. */
  function fits(map, label) {
    if (label.town) return map.getZoom() >= label.zoom;
    var sw = map.project(label.bounds.getSouthWest()), ne = map.project(label.bounds.getNorthEast());
    return ne.x - sw.x >= label.width && sw.y - ne.y >= label.height / 2;
  }

  function place(map, all) {
    var taken = [];
    all.forEach(function (label) {
      var box = fits(map, label) ? boxOf(map, label) : null;
      var free = box !== null && !taken.some(function (other) { return overlaps(box, other); });
      if (free) taken.push(box);
      label.element.style.display = free ? "" : "none";
    });
    map.getContainer().setAttribute("data-br-labels", taken.length);  /* for tests: how many, at which zoom */
    map.getContainer().setAttribute("data-br-labels-zoom", map.getZoom());
  }

  function labels(map, data) {
    var pane = map.getPane("brLabels") || map.createPane("brLabels");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    var group = L.layerGroup().addTo(map);
    var all = [];
    function add(item, town, className) {
      var marker = labelMarker(map, item.name, className);
      var layer = L.marker([item.y, item.x], { icon: marker.icon, interactive: false, keyboard: false, pane: "brLabels" });
      group.addLayer(layer);
      all.push({
        latlng: layer.getLatLng(), town: town, zoom: item.zoom, element: layer.getElement(), text: marker.text,
        bounds: town ? null : L.latLngBounds([item.bounds[1], item.bounds[0]], [item.bounds[3], item.bounds[2]])
      });
    }
    data.countries.forEach(function (c) { add(c, false, c.focus ? "br-label-country br-label-focus" : "br-label-country"); });
    data.towns.forEach(function (t) { add(t, true, "br-label-town"); });
    /* Sizes are read only once every label is in the page: one layout for all of them, not
     * one per label (reading a size forces the page to lay out what was added before it). */
    all.forEach(function (label) { label.width = label.text.offsetWidth; label.height = label.text.offsetHeight; });
    map.on("zoomend viewreset", function () { place(map, all); });
    place(map, all);
    return group;
  }

  window.borderrisk.labels = labels;
})();
