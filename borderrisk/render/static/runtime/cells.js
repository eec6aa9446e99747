/* borderrisk map runtime: events aggregated in grid cells (layers/kinds/grid.py). */
(function (br) {
  "use strict";

  /* Events aggregated in grid cells (layers/kinds/grid.py), finer as the map zooms in, drawn on
   * one canvas of their own: each cell a disc sized by its count, in the colour of its commonest
   * type, with the count written in it when it fits. The tally (events by leaf cell, type and
   * day, sorted by day) is kept as counts by leaf and type for the events up to the slider's
   * day: moving the slider adds or takes away only the entries between the two days, then the
   * cells of the shown level are summed from their leaves and redrawn, so dragging over 500k
   * events stays smooth. A click opens the cell's popup: its count and counts by type up to
   * that day, and its first and last day. */
  function gridLayer(map, spec) {
    var tally = spec.tally, kinds = spec.types.length;
    var entryLeaf = br.unpack(tally.leaf), entryType = br.unpack(tally.type), entryCount = br.unpack(tally.count);
    var entryPrecision = br.unpack(tally.precision);
    var byLeaf = new Int32Array(tally.leaves * kinds);  /* events counted so far, by leaf and type */
    var counted = 0;  /* entries counted: a prefix of the tally, up to the slider's day */
    var levels = spec.grid.map(function (level) {
      return { spec: level, cellOf: br.unpack(level.cell), biggest: level.biggest, projected: null };
    });
    var shown = null;  /* the level drawn: its counts and commonest types, and the discs drawn */

    function countUpTo(end) {
      var sign = end > counted ? 1 : -1, from = Math.min(end, counted), to = Math.max(end, counted);
      for (var e = from; e < to; e++) byLeaf[entryLeaf[e] * kinds + entryType[e]] += sign * entryCount[e];
      counted = end;
    }

    /* Tally entries up to and including day `until` (ms): the undated ones and the days before. */
    function entriesUpTo(until) {
      var day = Math.floor(until / br.DAY), lo = 0, hi = tally.days.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (tally.days[mid] <= day) lo = mid + 1; else hi = mid; }
      return lo === 0 ? tally.undated : tally.ends[lo - 1];
    }

    function levelAt(zoom) {
      zoom = Math.floor(zoom);  /* levels are by whole zooms; the view may be between two */
      return levels.filter(function (l) { return zoom >= l.spec.minZoom && zoom <= l.spec.maxZoom; })[0] || null;
    }

    function summed(level) {
      var cells = level.spec.x.length, byType = new Int32Array(cells * kinds);
      var count = new Int32Array(cells), commonest = new Int32Array(cells);
      for (var leaf = 0; leaf < tally.leaves; leaf++) {
        var cell = level.cellOf[leaf];
        for (var k = 0; k < kinds; k++) byType[cell * kinds + k] += byLeaf[leaf * kinds + k];
      }
      for (var c = 0; c < cells; c++) {
        var best = 0;
        for (k = 0; k < kinds; k++) {
          var n = byType[c * kinds + k];
          count[c] += n;
          if (n > byType[c * kinds + best]) best = k;
        }
        commonest[c] = best;
      }
      return { level: level, count: count, byType: byType, commonest: commonest, discs: [] };
    }

    var layer = new (L.Layer.extend({
      onAdd: function () {
        this._canvas = L.DomUtil.create("canvas", "br-grid leaflet-zoom-hide");
        this._canvas.style.pointerEvents = "none";  /* clicks reach the map, which finds the disc */
        map.getPane("overlayPane").appendChild(this._canvas);
        map.on("moveend resize", this.redraw, this);  /* moveend follows every zoom too */
        this.recount();
      },
      onRemove: function () {
        map.off("moveend resize", this.redraw, this);
        L.DomUtil.remove(this._canvas);
        map.closePopup();
      },
      /* Count the events up to and including day `until` (ms). */
      setUntil: function (until) {
        countUpTo(entriesUpTo(until));
        this.recount();
      },
      recount: function () {
        shown = null;
        if (this._map) this.redraw();
      },
      redraw: function () {
        var level = levelAt(map.getZoom());
        if (!level) { shown = null; this._canvas.width = 0; return; }
        if (!shown || shown.level !== level) shown = summed(level);
        if (!level.projected) {  /* at zoom 0; at zoom z a point is 2^z times farther out */
          level.projected = new Float64Array(2 * level.spec.x.length);
          level.spec.x.forEach(function (x, c) {
            var p = map.project([level.spec.y[c], x], 0);
            level.projected[2 * c] = p.x; level.projected[2 * c + 1] = p.y;
          });
        }
        var scale = map.getZoomScale(map.getZoom(), 0);
        var size = map.getSize(), pad = size.multiplyBy(0.1), ratio = window.devicePixelRatio || 1;
        var topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1)), full = size.add(pad.multiplyBy(2));
        var canvas = this._canvas, ctx = canvas.getContext("2d");
        L.DomUtil.setPosition(canvas, topLeft);
        if (canvas.width !== full.x * ratio || canvas.height !== full.y * ratio) {
          canvas.width = full.x * ratio; canvas.height = full.y * ratio;
          canvas.style.width = full.x + "px"; canvas.style.height = full.y + "px";
        }
        ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
        ctx.clearRect(0, 0, full.x, full.y);
        /* Discs are drawn a colour at a time (one path, one fill, one stroke each), then the
         * counts: a few canvas calls per colour rather than per cell keep a redraw quick. */
        var origin = map.getPixelOrigin().add(topLeft), discs = [], byColor = {};
        for (var c = 0; c < shown.count.length; c++) {
          var n = shown.count[c];
          if (!n) continue;
          var x = level.projected[2 * c] * scale - origin.x, y = level.projected[2 * c + 1] * scale - origin.y;
          var r = 5 + 15 * Math.sqrt(n / level.biggest);
          if (x < -r || y < -r || x > full.x + r || y > full.y + r) continue;
          var color = spec.typeColors[shown.commonest[c]];
          (byColor[color] = byColor[color] || []).push(x, y, r);
          discs.push({ cell: c, x: x + topLeft.x, y: y + topLeft.y, r: r, color: color });
        }
        ctx.lineWidth = 1.5; ctx.strokeStyle = "#ffffff";
        Object.keys(byColor).forEach(function (color) {
          var xyr = byColor[color];
          ctx.beginPath();
          for (var i = 0; i < xyr.length; i += 3) {
            ctx.moveTo(xyr[i] + xyr[i + 2], xyr[i + 1]);
            ctx.arc(xyr[i], xyr[i + 1], xyr[i + 2], 0, 2 * Math.PI);
          }
          ctx.globalAlpha = 0.75; ctx.fillStyle = color; ctx.fill();
          ctx.globalAlpha = 1; ctx.stroke();
        });
        /* Counts are written biggest first; a count that does not fit its disc, or would touch
         * one already written (neighbouring discs overlap), is left out: its disc still shows
         * it by its size, and its popup says it. */
        ctx.font = "600 11px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
        var digit = ctx.measureText("0").width, written = [];
        discs.slice().sort(function (a, b) { return shown.count[b.cell] - shown.count[a.cell]; }).forEach(function (d) {
          var text = br.shortCount(shown.count[d.cell]), half = text.length * digit / 2;
          if (2 * half > 2 * d.r - 4) return;
          var x = d.x - topLeft.x, y = d.y - topLeft.y, box = [x - half - 1, y - 7, x + half + 1, y + 7];
          if (written.some(function (w) { return box[0] < w[2] && w[0] < box[2] && box[1] < w[3] && w[1] < box[3]; })) return;
          written.push(box);
          d.label = { text: text, box: box.map(function (v, i) { return v + (i % 2 ? topLeft.y : topLeft.x); }) };
          ctx.fillStyle = br.textOn(d.color);
          ctx.fillText(text, x, y);
        });
        shown.discs = discs;
      },
      /* The cells drawn at this zoom, with their counts (and the count written on each, with
       * its box in layer pixels, if any), for scripts and tests. */
      cells: function () {
        if (!shown) return [];
        return shown.discs.map(function (d) {
          var byType = {}, c = d.cell;
          spec.types.forEach(function (t, k) { if (shown.byType[c * kinds + k]) byType[t] = shown.byType[c * kinds + k]; });
          return {
            cell: c, count: shown.count[c], byType: byType, latlng: map.layerPointToLatLng([d.x, d.y]),
            label: d.label || null
          };
        });
      },
      /* The topmost disc drawn under a layer point, if any. */
      discAt: function (point) {
        for (var i = shown ? shown.discs.length - 1 : -1; i >= 0; i--) {
          var d = shown.discs[i];
          if ((d.x - point.x) * (d.x - point.x) + (d.y - point.y) * (d.y - point.y) <= d.r * d.r) return d;
        }
        return null;
      }
    }))();
    br.of(layer).spec = spec;
    br.of(layer).until = function (until) { layer.setUntil(until); };
    countUpTo(entryLeaf.length);

    /* The first and last date of the counted events in a cell of the shown level, each as
     * precisely as its source knows it. */
    function span(cell) {
      var first = -1, last = -1, cellOf = shown.level.cellOf;
      for (var e = 0; e < counted; e++) {
        if (cellOf[entryLeaf[e]] !== cell) continue;
        if (first < 0) first = e;
        last = e;
      }
      function dayOf(e) {
        if (e < tally.undated) return null;
        var lo = 0, hi = tally.ends.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (tally.ends[mid] <= e) lo = mid + 1; else hi = mid; }
        return br.dateText(tally.days[lo] * br.DAY, tally.precisions[entryPrecision[e]]);
      }
      return [dayOf(first), dayOf(last)];
    }

    map.on("click", function (e) {
      if (!map.hasLayer(layer)) return;
      var disc = layer.discAt(map.latLngToLayerPoint(e.latlng));
      if (!disc) return;
      var c = disc.cell, box = br.el("div", "br-popup"), table = br.el("table");
      box.appendChild(br.el("div", "br-popup-title", br.say(map, "events", br.number(map, shown.count[c]))));
      spec.types.map(function (t, k) { return [t, shown.byType[c * kinds + k]]; })
        .filter(function (pair) { return pair[1] > 0; })
        .sort(function (a, b) { return b[1] - a[1]; })
        .forEach(function (pair) {
          var row = br.el("tr");
          row.appendChild(br.el("th", null, pair[0]));
          row.appendChild(br.el("td", null, br.number(map, pair[1])));
          table.appendChild(row);
        });
      box.appendChild(table);
      var days = span(c);
      var first = br.formatDate(map, days[0]), last = br.formatDate(map, days[1]);
      if (days[0]) box.appendChild(br.el("div", null, days[0] === days[1] ? first : br.say(map, "range", first, last)));
      box.appendChild(br.el("div", "br-popup-source", br.say(map, "aggregated")));
      br.popupAt(map, map.layerPointToLatLng([disc.x, disc.y]), box);
    });
    /* Every disc gives its count when pointed at, whether or not it fits on the disc. */
    var tip = L.tooltip({ direction: "top", className: "br-tooltip" });
    map.on("mousemove", function (e) {
      var disc = map.hasLayer(layer) ? layer.discAt(map.latLngToLayerPoint(e.latlng)) : null;
      if (!disc) { if (tip.isOpen()) map.closeTooltip(tip); return; }
      tip.options.offset = L.point(0, -disc.r);
      tip.setLatLng(map.layerPointToLatLng([disc.x, disc.y])).setContent(br.el("span", null, br.say(map, "events", br.number(map, shown.count[disc.cell]))));
      if (!tip.isOpen()) map.openTooltip(tip);
    });
    br.mapState(map).timed.push(layer);
    br.mapState(map).layers.push(layer);
    return layer;
  }

  Object.assign(br, { gridLayer: gridLayer });
})(window.borderrisk);
