/* borderrisk map runtime: the map's controls and furniture: legend, title, layer list, scale
 * bar, handling marking, footer, and the print mode of static outputs. */
(function (br) {
  "use strict";

  /* Below this size (CSS pixels) a map opens with its legend closed: open, it would take room
   * the focus needs. */
  var SMALL_MAP = { x: 1200, y: 760 };

  function legendRow(item) {
    var row = br.el("div", "br-legend-row");
    var swatch = br.el("span", "br-swatch br-swatch-" + item.shape);
    swatch.style.background = item.shape === "line" ? "transparent" : item.color;
    swatch.style.borderColor = item.color;
    if (item.dashed) swatch.style.borderTopStyle = "dashed";
    row.appendChild(swatch);
    row.appendChild(br.el("span", null, item.label));
    return row;
  }

  /* The legend: a button that opens and closes it (closed at first on a small map), and its
   * sections of {title, items: [{label, color, shape, dashed}]}, scrolled when they are taller
   * than the map allows. */
  function legend(map, sections) {
    br.control("bottomright", function () {
      var box = br.el("div", "br-legend leaflet-control"), body = br.el("div", "br-legend-body");
      var toggle = br.el("button", "br-legend-toggle", br.say(map, "legend"));
      toggle.type = "button";
      function setOpen(open) {
        box.classList.toggle("br-legend-closed", !open);
        toggle.setAttribute("aria-expanded", String(open));
      }
      L.DomEvent.on(toggle, "click", function () { setOpen(box.classList.contains("br-legend-closed")); });
      var size = map.getSize();
      setOpen(size.x >= SMALL_MAP.x && size.y >= SMALL_MAP.y);
      box.appendChild(toggle);
      box.appendChild(body);
      sections.forEach(function (section) {
        body.appendChild(br.el("div", "br-legend-title", section.title));
        section.items.forEach(function (item) { body.appendChild(legendRow(item)); });
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }).addTo(map);
  }

  function title(map, text, subtitle) {
    br.control("topleft", function () {
      var box = br.el("div", "br-title leaflet-control");
      box.appendChild(br.el("div", "br-title-main", text));
      if (subtitle) box.appendChild(br.el("div", "br-title-sub", subtitle));
      return box;
    }).addTo(map);
  }

  /* The layer switcher. Leaflet's layer control writes names with innerHTML, so names are escaped for it. */
  function layerControl(map) {
    var overlays = {};
    br.mapState(map).layers.forEach(function (group) { overlays[br.escapeHtml(br.of(group).spec.name)] = group; });
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  }

  function scaleBar(map) { L.control.scale({ imperial: false }).addTo(map); }

  /* A handling marking (e.g. "UNCLASSIFIED//FOR OFFICIAL USE ONLY") at the top and bottom. */
  function marking(map, text) {
    ["top", "bottom"].forEach(function (edge) {
      map.getContainer().appendChild(br.el("div", "br-marking br-marking-" + edge, text));
    });
    map.getContainer().classList.add("br-marked");
  }

  function footer(map, text) {
    br.control("bottomleft", function () { return br.el("div", "br-footer leaflet-control", text); }).addTo(map);
  }

  /* Static outputs (PNG, PDF): no buttons or sliders, the legend open; a north arrow instead. */
  function printMode(map) {
    map = br.mapOf(map);
    map.getContainer().classList.add("br-print");
    br.control("topright", function () {
      var box = br.el("div", "br-north leaflet-control");
      box.appendChild(br.el("div", "br-north-arrow", "\u25B2"));
      box.appendChild(br.el("div", "br-north-n", br.say(map, "north")));
      return box;
    }).addTo(map);
    map.fire("brcontrols");  /* the controls changed: the view is fitted again (frame.js), names move (labels.js) */
  }

  Object.assign(br, {
    legend: legend, title: title, layerControl: layerControl, scaleBar: scaleBar, marking: marking, footer: footer,
    printMode: printMode
  });
})(window.borderrisk);
