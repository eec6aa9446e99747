/* borderrisk map framing: the opening view fits the focus in the part of the map its controls
 * (title, legend, time panel, draw tool, layer list, marking banners...) leave clear, and the
 * runtime's popups pan clear of the same controls (a drawn shape's form keeps Leaflet's own
 * panning: the user put the shape there). A control sits in a corner, so it is cleared either
 * from its side of the map or from its end (the title from the top, or from the left): of
 * every such choice, the one that shows the focus largest is taken. */
(function (br) {
  "use strict";

  var GAP = 8;  /* pixels kept between a control and what it must not cover */
  var POPUP = { x: 380, y: 320 };  /* the room a popup needs at most */

  /* The boxes of the map's elements that match selector and are seen (laid out, not hidden
   * by an opacity of 0), in container pixels. */
  function boxesIn(map, selector) {
    var container = map.getContainer(), origin = container.getBoundingClientRect();
    return Array.prototype.filter.call(container.querySelectorAll(selector), function (element) {
      return element.style.opacity !== "0";
    }).map(function (element) {
      var r = element.getBoundingClientRect();
      return { left: r.left - origin.left, top: r.top - origin.top, right: r.right - origin.left, bottom: r.bottom - origin.top };
    }).filter(function (box) { return box.right > box.left && box.bottom > box.top; });
  }

  /* What is drawn over the map: its controls and marking banners. */
  function covers(map) { return boxesIn(map, ".leaflet-control, .br-marking"); }

  /* Padding {top, right, bottom, left} that keeps the map's covers out of the area inside it,
   * choosing for each cover the side it is cleared from so that score(width, height) of that
   * area is highest (ties: the larger area). A cover as wide as the map (a banner) is cleared
   * from its end only. */
  function clearPadding(map, score) {
    var size = map.getSize();
    var ways = covers(map).map(function (b) {
      var end = b.top + b.bottom < size.y ? { top: b.bottom + GAP } : { bottom: size.y - b.top + GAP };
      var side = b.left + b.right < size.x ? { left: b.right + GAP } : { right: size.x - b.left + GAP };
      return b.right - b.left >= size.x - 2 * GAP ? [end] : [end, side];
    });
    var best = null;
    function walk(k, pad) {
      if (k < ways.length) {
        ways[k].forEach(function (way) {
          var next = Object.assign({}, pad);
          Object.keys(way).forEach(function (edge) { next[edge] = Math.max(next[edge], way[edge]); });
          walk(k + 1, next);
        });
        return;
      }
      var w = size.x - pad.left - pad.right, h = size.y - pad.top - pad.bottom;
      if (w <= 0 || h <= 0) return;
      var value = score(w, h);
      if (!best || value > best.value || (value === best.value && w * h > best.area)) best = { value: value, area: w * h, pad: pad };
    }
    walk(0, { top: GAP, right: GAP, bottom: GAP, left: GAP });
    return best ? best.pad : { top: 0, right: 0, bottom: 0, left: 0 };
  }

  /* Fit the map to its frame in the area its controls leave clear. */
  function fit(map) {
    var bounds = br.of(map).frame;
    var ne = map.project(bounds.getNorthEast(), 0), sw = map.project(bounds.getSouthWest(), 0);
    var wide = Math.max(ne.x - sw.x, 1e-9), tall = Math.max(sw.y - ne.y, 1e-9), snap = map.options.zoomSnap || 1;
    var pad = clearPadding(map, function (w, h) {
      var zoom = Math.log(Math.min(w / wide, h / tall)) / Math.LN2;
      return Math.min(Math.floor(zoom / snap) * snap, map.getMaxZoom());
    });
    map.fitBounds(bounds, { paddingTopLeft: [pad.left, pad.top], paddingBottomRight: [pad.right, pad.bottom], animate: false });
  }

  /* Open the map on bounds ([[south, west], [north, east]], computed in Python: the focus
   * borders and their reach, or the asked view), clear of its controls; again whenever the
   * controls change at opening (print mode: no buttons, a north arrow, the legend open). */
  function frame(map, bounds) {
    br.of(map).frame = L.latLngBounds(bounds);
    fit(map);
    map.on("brcontrols", function () { fit(map); });
  }

  /* Open a popup at latlng that pans, if it must, to where no control covers it. */
  function popupAt(map, latlng, content) {
    var pad = clearPadding(map, function (w, h) { return Math.min(w, POPUP.x) * Math.min(h, POPUP.y); });
    return L.popup({ maxWidth: 360, autoPanPaddingTopLeft: [pad.left, pad.top], autoPanPaddingBottomRight: [pad.right, pad.bottom] })
      .setLatLng(latlng).setContent(content).openOn(map);
  }

  Object.assign(br, { frame: frame, boxesIn: boxesIn, covers: covers, clearPadding: clearPadding, popupAt: popupAt });
})(window.borderrisk);
