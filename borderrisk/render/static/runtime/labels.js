/* borderrisk map labels: country names where they fit and town names by population, placed
 * without overlap. Labels come in priority order (focus countries, countries by area, towns by
 * population); after every move or zoom each one that fits is shown unless a label before it,
 * one of the map's controls or a cluster badge already took its place. Names are set as text,
 * never as HTML. */
(function (br) {
  "use strict";

  var PADDING = 3;  /* pixels kept free around each label */

  /* The label's element, as Leaflet places a marker icon: holder > text. */
  function labelIcon(name, className) {
    var holder = br.el("div");
    holder.appendChild(br.el("span", "br-label-text", name));
    return L.divIcon({ html: holder, className: "br-label " + className, iconSize: [0, 0] });
  }

  /* The size of a label, known before it has an element: one sample of each kind is laid out
   * once, in the labels' pane, to learn its font and what it adds to the text (a town's dot);
   * each name is then measured on a canvas in that font. Laying out hundreds of labels to
   * measure them, most of which are never shown at a given zoom, made the page slow to open. */
  function measurer(pane) {
    var SAMPLE = "Mg", context = br.el("canvas").getContext("2d"), kinds = {};
    function learn(className) {
      var holder = br.el("div", "br-label " + className), text = br.el("span", "br-label-text", SAMPLE);
      holder.style.visibility = "hidden";
      holder.appendChild(text);
      pane.appendChild(holder);
      var style = getComputedStyle(text);
      var kind = {
        font: [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily].join(" "),
        spacing: style.letterSpacing === "normal" ? "0px" : style.letterSpacing
      };
      kind.extra = text.getBoundingClientRect().width - width(kind, SAMPLE);
      kind.height = text.offsetHeight;
      pane.removeChild(holder);
      return kind;
    }
    function width(kind, name) {
      context.font = kind.font;
      context.letterSpacing = kind.spacing;
      return context.measureText(name).width;
    }
    return function (className, name) {
      var kind = kinds[className] || (kinds[className] = learn(className));
      return [Math.round(width(kind, name) + kind.extra), kind.height];  /* as offsetWidth rounds */
    };
  }

  function overlaps(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  /* The label's box in layer pixels at the current zoom: countries centred on their point
   * (moved down by dy pixels), towns starting at their dot. */
  function boxOf(map, label, dy) {
    var p = map.latLngToLayerPoint(label.latlng), w = label.width, h = label.height;
    var left = label.town ? p.x - 4 : p.x - w / 2, middle = p.y + dy;
    return [left - PADDING, middle - h / 2 - PADDING, left + w + PADDING, middle + h / 2 + PADDING];
  }

  /* Where a label may go, in pixels down from its point: a town's name stays by its dot; a
   * country's moves a line up or down when its place is taken (by a cluster badge, mostly). */
  function shifts(label) {
    var step = label.height + 2 * PADDING;
    return label.town ? [0] : [0, -step, step];
  }

  /* A country's name fits once its largest part is as wide as the name and half as tall. */
  function fits(map, label) {
    if (label.town) return map.getZoom() >= label.zoom;
    var sw = map.project(label.bounds.getSouthWest()), ne = map.project(label.bounds.getNorthEast());
    return ne.x - sw.x >= label.width && sw.y - ne.y >= label.height / 2;
  }

  /* A label gets its element (a marker in the labels' pane) the first time it is shown. */
  function show(label) {
    var marker = L.marker(label.latlng, {
      icon: labelIcon(label.name, label.className), interactive: false, keyboard: false, pane: "brLabels"
    });
    label.group.addLayer(marker);
    label.element = marker.getElement();
  }

  /* The boxes, in layer pixels, a name must not be under: the map's controls (title, legend,
   * time slider...) and the cluster badges shown (a badge covers a name). */
  function takenBoxes(map) {
    var covers = br.covers(map).concat(br.boxesIn(map, ".br-cluster-icon"));
    return covers.map(function (box) {
      var a = map.containerPointToLayerPoint([box.left, box.top]), b = map.containerPointToLayerPoint([box.right, box.bottom]);
      return [a.x, a.y, b.x, b.y];
    });
  }

  /* The map's own box in layer pixels. */
  function screenBox(map) {
    var size = map.getSize(), a = map.containerPointToLayerPoint([0, 0]);
    return [a.x, a.y, a.x + size.x, a.y + size.y];
  }

  function place(map, all) {
    var taken = takenBoxes(map), shown = 0, screen = screenBox(map);
    all.forEach(function (label) {
      var box = null, dy = 0;
      /* A focus country's second name (in the opening view) shows only while its first is not seen. */
      var replaced = label.instead && label.instead.placed && overlaps(label.instead.placed, screen);
      if (!replaced && fits(map, label)) {
        var free = shifts(label).filter(function (shift) {
          var candidate = boxOf(map, label, shift);
          return !taken.some(function (other) { return overlaps(candidate, other); });
        });
        if (free.length) { dy = free[0]; box = boxOf(map, label, dy); }
      }
      label.placed = box;
      if (box) { taken.push(box); shown += 1; }
      if (box && !label.element) show(label);
      if (!label.element) return;
      label.element.style.display = box ? "" : "none";
      if (box) label.element.firstChild.firstChild.style.marginTop = dy + "px";
    });
    map.fire("brlabelsplaced", { shown: shown, zoom: map.getZoom() });  /* how many, at which zoom (debug.js) */
  }

  function labels(map, data) {
    var pane = map.getPane("brLabels") || map.createPane("brLabels");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
    var group = L.layerGroup().addTo(map), size = measurer(pane), all = [];
    function add(item, town, className) {
      var measured = size(className, item.name);
      all.push({
        name: item.name, className: className, group: group, element: null,
        latlng: L.latLng(item.y, item.x), town: town, zoom: item.zoom, width: measured[0], height: measured[1],
        instead: item.instead === undefined ? null : all[item.instead], placed: null,
        bounds: town ? null : L.latLngBounds([item.bounds[1], item.bounds[0]], [item.bounds[3], item.bounds[2]])
      });
    }
    data.countries.forEach(function (c) { add(c, false, c.focus ? "br-label-country br-label-focus" : "br-label-country"); });
    data.towns.forEach(function (t) { add(t, true, "br-label-town"); });
    /* moveend: after a zoom too; brclusters: the cluster badges are laid out (clusters.js) */
    map.on("moveend viewreset brcontrols brclusters", function () { place(map, all); });
    place(map, all);
    return group;
  }

  br.labels = labels;
})(window.borderrisk);
