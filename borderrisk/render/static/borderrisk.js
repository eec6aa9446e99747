/* borderrisk map runtime: draws layers from columnar data, builds every popup, tooltip and
 * legend with DOM text nodes (never innerHTML), and filters dated features by time.
 * Untrusted strings only ever reach the page through textContent.
 * Everything it keeps about a map (its layers, dated layers) lives on that map
 * (map.borderrisk), so several maps in one page stay apart. */
(function () {
  "use strict";

  /* The runtime's state for one map, made on first use; its container is marked .br-map. */
  function stateOf(map) {
    if (!map.borderrisk) {
      map.borderrisk = { layers: [], timed: [] };
      map.getContainer().classList.add("br-map");
      map.getContainer().borderriskMap = map;
    }
    return map.borderrisk;
  }

  /* Every borderrisk map in the page, in page order. */
  function maps() {
    return Array.prototype.map.call(document.querySelectorAll(".br-map"), function (c) { return c.borderriskMap; });
  }

  /* The map asked for, or the page's only map. */
  function only(map) {
    if (map) return map;
    var all = maps();
    if (all.length !== 1) throw new Error("the page has " + all.length + " borderrisk maps: say which one");
    return all[0];
  }

  /* The map's language, as borderrisk.language set it: words, date patterns, month names. */
  function languageOf(map) {
    return stateOf(map).language || { code: "en", text: {}, dates: { day: "y-MM-dd", month: "y-MM", year: "y" } };
  }

  /* The runtime's word for key in the map's language, with {0}, {1} ... filled in. */
  function say(map, key) {
    var args = Array.prototype.slice.call(arguments, 2);
    var text = languageOf(map).text[key];
    if (text === undefined) throw new Error("borderrisk: no text for " + key);
    return text.replace(/\{(\d+)\}/g, function (all, k) { return String(args[Number(k)]); });
  }

  /* A date as text at its precision, as borderrisk.data.schema.format_date writes it: "2023",
   * "2023-07", "2023-07-16", or "2023-07-16~" for a week (the day the source recorded, marked
   * approximate). {year, month, day, precision, ms} (month and day as text), or null. */
  function parseDate(text) {
    var m = typeof text === "string" ? /^(\d{4})(?:-(\d{2})(?:-(\d{2})(~?))?)?$/.exec(text) : null;
    if (!m) return null;
    var precision = m[4] ? "week" : m[3] ? "day" : m[2] ? "month" : "year";
    var ms = Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
    return { year: m[1], month: m[2], day: m[3], precision: precision, ms: ms };
  }

  /* The text of the day at ms (UTC) at a precision, in parseDate's forms. */
  function dateText(ms, precision) {
    var iso = new Date(ms).toISOString();
    return precision === "year" ? iso.slice(0, 4) : precision === "month" ? iso.slice(0, 7)
      : iso.slice(0, 10) + (precision === "week" ? "~" : "");
  }

  /* A date (parseDate's forms) as the map's language writes it, only as precisely as it is
   * known, by a CLDR pattern (d, dd, M, MM, MMMM, y, 'quoted'); a week is "week of" its day.
   * Other values are returned as they are. */
  function formatDate(map, text) {
    var d = parseDate(text);
    if (!d) return text;
    var language = languageOf(map);
    var pattern = language.dates[d.precision === "week" ? "day" : d.precision];
    var shown = pattern.replace(/'([^']*)'|d+|M+|y+/g, function (token, quoted) {
      if (quoted !== undefined) return quoted === "" ? "'" : quoted;
      var n = token.length;
      if (token[0] === "y") return n === 2 ? d.year.slice(2) : d.year;
      if (token[0] === "M") return n >= 3 ? language.months[Number(d.month) - 1] : n === 2 ? d.month : String(Number(d.month));
      return n === 2 ? d.day : String(Number(d.day));
    });
    return d.precision === "week" ? say(map, "weekOf", shown) : shown;
  }

  /* A number as the map's language writes it, with the given decimals (default: as needed).
   * Whole counts below 1000 are the digits alone in every language the map speaks; for them
   * toLocaleString would load the locale's number data (15-25 ms, once) while the page opens,
   * for the small counts on its clusters. */
  function number(map, n, decimals) {
    if (decimals === undefined && n >= 0 && n < 1000 && n % 1 === 0) return String(n);
    var fixed = decimals === undefined ? {} : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
    return n.toLocaleString(languageOf(map).code, fixed);
  }

  /* Set the map's language (before anything is drawn): {code, text, dates, months}. */
  function language(map, spec) { stateOf(map).language = spec; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* A column is a list of values, or {values, codes} when few distinct values repeat. */
  function value(spec, field, i) {
    var column = spec.props[field];
    if (!column) return null;
    return column.codes ? column.values[column.codes[i]] : column[i];
  }

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

  /* A field's value as shown: dates in the map's language. */
  function shownField(map, spec, field, i) {
    var v = shown(value(spec, field, i));
    return v !== null && spec.dates && spec.dates.indexOf(field) >= 0 ? formatDate(map, v) : v;
  }

  function popupContent(map, spec, i) {
    var box = el("div", "br-popup");
    box.appendChild(el("div", "br-popup-title", shown(value(spec, spec.popup.title, i)) || spec.name));
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
      box.appendChild(lineChart(map, values, spec.popup.periods, c.full));
    });
    var source = shown(value(spec, "source", i)) || spec.source;
    box.appendChild(el("div", "br-popup-source", say(map, "source", source || say(map, "notGiven"))));
    return box;
  }

  /* A score series as inline SVG built node by node: a sparkline, or with full=true a chart
   * with its highest value and first and last periods written as text in the map's language. */
  function lineChart(map, values, periods, full) {
    var ns = "http://www.w3.org/2000/svg", w = full ? 300 : 220, h = full ? 96 : 30;
    var left = full ? 34 : 2, bottom = full ? 16 : 2, top = full ? 8 : 2;
    var high = Math.max.apply(null, values.concat([0.5])), low = Math.min.apply(null, values.concat([0]));
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", w);
    svg.setAttribute("height", h);
    svg.setAttribute("class", "br-popup-chart");
    function node(tag, attrs, text) {
      var n = document.createElementNS(ns, tag);
      Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
      if (text !== undefined) n.textContent = text;
      svg.appendChild(n);
      return n;
    }
    var x = function (k) { return left + (k * (w - left - 4)) / (values.length - 1); };
    var y = function (v) { return top + ((high - v) * (h - top - bottom)) / (high - low || 1); };
    if (full) {
      node("line", { x1: left, y1: y(low), x2: w - 4, y2: y(low), stroke: "#999" });
      node("line", { x1: left, y1: y(high), x2: w - 4, y2: y(high), stroke: "#ddd" });
      node("text", { x: left - 4, y: y(high) + 4, "text-anchor": "end", "font-size": 10 }, number(map, high, 1));
      node("text", { x: left - 4, y: y(low) + 4, "text-anchor": "end", "font-size": 10 }, number(map, low, 1));
      node("text", { x: left, y: h - 3, "font-size": 10 }, formatDate(map, periods[0]));
      var end = formatDate(map, periods[periods.length - 1]);
      node("text", { x: w - 4, y: h - 3, "text-anchor": "end", "font-size": 10 }, end);
    }
    var points = values.map(function (v, k) { return x(k).toFixed(1) + "," + y(v).toFixed(1); }).join(" ");
    node("polyline", { points: points, fill: "none", stroke: "#bd0026", "stroke-width": full ? 1.5 : 1.2 });
    var last = values.length - 1;
    node("circle", { cx: x(last), cy: y(values[last]), r: 2.5, fill: "#bd0026" });
    return svg;
  }

  function tooltipContent(map, spec, i) {
    var parts = spec.tooltip.map(function (f) { return shownField(map, spec, f, i); });
    return el("span", null, parts.filter(function (p) { return p !== null; }).join(" · "));
  }

  function shapeFeatures(spec) {
    var out = new Array(spec.n);
    for (var i = 0; i < spec.n; i++) out[i] = { type: "Feature", geometry: spec.geoms[i], properties: { i: i } };
    return { type: "FeatureCollection", features: out };
  }

  /* WCAG relative luminance of a "#rrggbb" colour. */
  function luminance(hex) {
    var c = [1, 3, 5].map(function (i) {
      var v = parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  /* Black or white, whichever reads better on the colour. */
  function textOn(hex) {
    var l = luminance(hex);
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#111111" : "#ffffff";
  }

  /* A cluster shows how many points it holds, in the colour most of them have. */
  function clusterIcon(map, cluster) {
    var counts = {}, best = null;
    cluster.getAllChildMarkers().forEach(function (m) {
      var c = m.options.fillColor;
      counts[c] = (counts[c] || 0) + 1;
      if (best === null || counts[c] > counts[best]) best = c;
    });
    var n = cluster.getChildCount();
    var size = n < 10 ? 24 : n < 100 ? 30 : n < 1000 ? 36 : 42;
    var badge = el("div", "br-cluster", number(map, n));
    badge.style.background = best;
    badge.style.color = textOn(best);
    badge.style.lineHeight = size - 4 + "px";
    return L.divIcon({ html: badge, className: "br-cluster-icon", iconSize: L.point(size, size) });
  }

  /* Points become circle markers: with a canvas renderer that scales to 100k+. With
   * spec.cluster, nearby and co-located points merge into clusters (Leaflet.markercluster) that
   * split as the map zooms in; at the last zoom a click spreads a cluster around its place. */
  function pointGroup(map, spec, interactive) {
    var markers = new Array(spec.n);
    for (var i = 0; i < spec.n; i++) {
      var style = styleOf(spec, i);
      style.interactive = interactive;
      markers[i] = L.circleMarker([spec.y[i], spec.x[i]], style);
      markers[i].brIndex = i;
    }
    if (!spec.cluster) return L.featureGroup(markers);
    var group = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: function (cluster) { return clusterIcon(map, cluster); },
      /* Markers are clustered in chunks once the group is on the map; brClustered says all are
       * in, so scripts (tests, PNG export) act on the finished clusters, not on a partial set. */
      chunkProgress: function (done, total) {
        group.brClustered = done >= total;
        if (group.brClustered) map.fire("brclusters");
      }
    });
    /* The badges are in place (all clustered, or a zoom's animation over): names under them move (labels.js). */
    group.on("animationend", function () { map.fire("brclusters"); });
    group.brClustered = markers.length === 0;
    group.addLayers(markers);
    return group;
  }

  var SPREAD_AT_MOST = 12;  /* more co-located points than this are listed, not spread */
  var LIST_PAGE = 10;

  /* A click on a cluster whose points share one place spreads them around it (a capped circle);
   * when there are more than SPREAD_AT_MOST, a popup lists them instead, a page at a time, and
   * an entry opens that point's own popup. */
  function listCrowds(map, group, spec) {
    group.on("spiderfied", function (e) {
      if (e.markers.length <= SPREAD_AT_MOST) return;
      e.cluster.unspiderfy();
      var items = e.markers.slice().sort(function (a, b) { return a.brIndex - b.brIndex; });
      var box = el("div", "br-popup br-list"), page = 0;
      function show() {
        box.textContent = "";
        box.appendChild(el("div", "br-popup-title", say(map, "atThisPlace", number(map, items.length))));
        var list = el("ol", "br-list-items");
        list.start = page * LIST_PAGE + 1;
        items.slice(page * LIST_PAGE, (page + 1) * LIST_PAGE).forEach(function (marker) {
          var entry = el("li");
          var link = el("a", null, tooltipContent(map, spec, marker.brIndex).textContent || spec.name);
          link.href = "#";
          L.DomEvent.on(link, "click", function (event) {
            L.DomEvent.preventDefault(event);
            window.borderrisk.popupAt(map, e.cluster.getLatLng(), popupContent(map, spec, marker.brIndex));
          });
          entry.appendChild(link);
          list.appendChild(entry);
        });
        box.appendChild(list);
        var pages = Math.ceil(items.length / LIST_PAGE);
        var nav = el("div", "br-list-pages");
        [[say(map, "previous"), page - 1], [say(map, "next"), page + 1]].forEach(function (pair) {
          var button = el("button", "br-list-page", pair[0]);
          button.type = "button";
          button.disabled = pair[1] < 0 || pair[1] >= pages;
          L.DomEvent.on(button, "click", function (event) { L.DomEvent.stop(event); page = pair[1]; show(); });
          nav.appendChild(button);
        });
        nav.appendChild(el("span", "br-list-count", say(map, "pageOf", number(map, page + 1), number(map, pages))));
        box.appendChild(nav);
      }
      show();
      window.borderrisk.popupAt(map, e.cluster.getLatLng(), box);
    });
  }

  /* Milliseconds since 1970 of each feature's date ("2007", "2010-10" or "2023-07-16"). */
  function timesOf(spec) {
    var times = new Array(spec.n);
    for (var i = 0; i < spec.n; i++) {
      var text = value(spec, spec.time, i);
      var d = parseDate(text);
      times[i] = d === null ? null : d.ms;
    }
    return times;
  }

  /* Whole numbers packed by layers/kinds/grid.py: little-endian, 1, 2 or 4 bytes each, base64. */
  function unpack(packed) {
    var text = atob(packed.data), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return new ({ 1: Uint8Array, 2: Uint16Array, 4: Uint32Array })[packed.bytes](bytes.buffer);
  }

  /* Whole numbers written by layers/render/packing.py: zigzag varints in base64. */
  function varints(text) {
    var bytes = atob(text), out = [], v = 0, scale = 1;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes.charCodeAt(i);
      v += (b & 127) * scale;
      if (b & 128) { scale *= 128; continue; }
      out.push(v % 2 ? -(v + 1) / 2 : v / 2);
      v = 0; scale = 1;
    }
    return out;
  }

  var PACKED_TYPES = { P: ["Point", 0], m: ["MultiPoint", 1], L: ["LineString", 1], l: ["MultiLineString", 2], A: ["Polygon", 2], a: ["MultiPolygon", 3] };

  /* A layer's GeoJSON geometries from their packed form (layers/render/packing.py), the same
   * numbers the JSON would have given: whole numbers over 10^decimals. */
  function unpackGeoms(packed) {
    var counts = varints(packed.counts), deltas = varints(packed.coords), scale = Math.pow(10, packed.decimals);
    var c = 0, k = 0, x = 0, y = 0;
    function read(depth) {
      if (depth === 0) { x += deltas[k++]; y += deltas[k++]; return [x / scale, y / scale]; }
      var n = counts[c++], out = new Array(n);
      for (var i = 0; i < n; i++) out[i] = read(depth - 1);
      return out;
    }
    return packed.types.split("").map(function (t) {
      return { type: PACKED_TYPES[t][0], coordinates: read(PACKED_TYPES[t][1]) };
    });
  }

  /* The count as a cell shows it: 950, 9.5k, 95k, 1.2M. */
  function shortCount(n) {
    if (n < 1000) return String(n);
    if (n < 1e6) return (n < 1e4 ? (n / 1e3).toFixed(1) : Math.round(n / 1e3)) + "k";
    return (n / 1e6).toFixed(1) + "M";
  }

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
    var entryLeaf = unpack(tally.leaf), entryType = unpack(tally.type), entryCount = unpack(tally.count);
    var entryPrecision = unpack(tally.precision);
    var byLeaf = new Int32Array(tally.leaves * kinds);  /* events counted so far, by leaf and type */
    var counted = 0;  /* entries counted: a prefix of the tally, up to the slider's day */
    var levels = spec.grid.map(function (level) {
      return { spec: level, cellOf: unpack(level.cell), biggest: level.biggest, projected: null };
    });
    var shown = null;  /* the level drawn: its counts and commonest types, and the discs drawn */

    function countUpTo(end) {
      var sign = end > counted ? 1 : -1, from = Math.min(end, counted), to = Math.max(end, counted);
      for (var e = from; e < to; e++) byLeaf[entryLeaf[e] * kinds + entryType[e]] += sign * entryCount[e];
      counted = end;
    }

    /* Tally entries up to and including day `until` (ms): the undated ones and the days before. */
    function entriesUpTo(until) {
      var day = Math.floor(until / 86400000), lo = 0, hi = tally.days.length;
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
          var text = shortCount(shown.count[d.cell]), half = text.length * digit / 2;
          if (2 * half > 2 * d.r - 4) return;
          var x = d.x - topLeft.x, y = d.y - topLeft.y, box = [x - half - 1, y - 7, x + half + 1, y + 7];
          if (written.some(function (w) { return box[0] < w[2] && w[0] < box[2] && box[1] < w[3] && w[1] < box[3]; })) return;
          written.push(box);
          d.label = { text: text, box: box.map(function (v, i) { return v + (i % 2 ? topLeft.y : topLeft.x); }) };
          ctx.fillStyle = textOn(d.color);
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
    layer.brSpec = spec;
    layer.brUntil = function (until) { layer.setUntil(until); };
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
        return dateText(tally.days[lo] * 86400000, tally.precisions[entryPrecision[e]]);
      }
      return [dayOf(first), dayOf(last)];
    }

    map.on("click", function (e) {
      if (!map.hasLayer(layer)) return;
      var disc = layer.discAt(map.latLngToLayerPoint(e.latlng));
      if (!disc) return;
      var c = disc.cell, box = el("div", "br-popup"), table = el("table");
      box.appendChild(el("div", "br-popup-title", say(map, "events", number(map, shown.count[c]))));
      spec.types.map(function (t, k) { return [t, shown.byType[c * kinds + k]]; })
        .filter(function (pair) { return pair[1] > 0; })
        .sort(function (a, b) { return b[1] - a[1]; })
        .forEach(function (pair) {
          var row = el("tr");
          row.appendChild(el("th", null, pair[0]));
          row.appendChild(el("td", null, number(map, pair[1])));
          table.appendChild(row);
        });
      box.appendChild(table);
      var days = span(c);
      var first = formatDate(map, days[0]), last = formatDate(map, days[1]);
      if (days[0]) box.appendChild(el("div", null, days[0] === days[1] ? first : say(map, "range", first, last)));
      box.appendChild(el("div", "br-popup-source", say(map, "aggregated")));
      window.borderrisk.popupAt(map, map.layerPointToLatLng([disc.x, disc.y]), box);
    });
    /* Every disc gives its count when pointed at, whether or not it fits on the disc. */
    var tip = L.tooltip({ direction: "top", className: "br-tooltip" });
    map.on("mousemove", function (e) {
      var disc = map.hasLayer(layer) ? layer.discAt(map.latLngToLayerPoint(e.latlng)) : null;
      if (!disc) { if (tip.isOpen()) map.closeTooltip(tip); return; }
      tip.options.offset = L.point(0, -disc.r);
      tip.setLatLng(map.layerPointToLatLng([disc.x, disc.y])).setContent(el("span", null, say(map, "events", number(map, shown.count[disc.cell]))));
      if (!tip.isOpen()) map.openTooltip(tip);
    });
    stateOf(map).timed.push(layer);
    stateOf(map).layers.push(layer);
    return layer;
  }

  function addLayer(map, spec) {
    var state = stateOf(map);
    if (spec.packed) { spec.geoms = unpackGeoms(spec.packed); delete spec.packed; }
    if (spec.grid) return gridLayer(map, spec);
    var interactive = spec.interactive !== false;
    var group = spec.x ? pointGroup(map, spec, interactive) : L.geoJSON(shapeFeatures(spec), {
      style: function (f) { return styleOf(spec, f.properties.i); },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, styleOf(spec, f.properties.i)); },
      interactive: interactive,
      onEachFeature: function (f, layer) { layer.brIndex = f.properties.i; }
    });
    group.brSpec = spec;
    if (spec.cluster && spec.x) listCrowds(map, group, spec);
    if (spec.time) group.brTimes = timesOf(spec);
    if (interactive) {
      var tip = L.tooltip({ sticky: false, direction: "top", className: "br-tooltip" });
      group.on("click", function (e) {
        window.borderrisk.popupAt(map, e.latlng, popupContent(map, spec, e.layer.brIndex));
      });
      group.on("mouseover", function (e) {
        tip.setLatLng(e.latlng).setContent(tooltipContent(map, spec, e.layer.brIndex));
        map.openTooltip(tip);
      });
      group.on("mouseout", function () { map.closeTooltip(tip); });
    }
    if (spec.time) state.timed.push(group);
    state.layers.push(group);
    return group;
  }

  function control(position, build) {
    var C = L.Control.extend({ options: { position: position }, onAdd: build });
    return new C();
  }

  /* Below this size (CSS pixels) a map opens with its legend closed: open, it would take room
   * the focus needs. */
  var SMALL_MAP = { x: 1200, y: 760 };

  /* The legend: a button that opens and closes it (closed at first on a small map), and its
   * sections, scrolled when they are taller than the map allows. */
  function legend(map, sections) {
    control("bottomright", function () {
      var box = el("div", "br-legend leaflet-control"), body = el("div", "br-legend-body");
      var toggle = el("button", "br-legend-toggle", say(map, "legend"));
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
        body.appendChild(el("div", "br-legend-title", section.title));
        section.items.forEach(function (item) {
          var row = el("div", "br-legend-row");
          var swatch = el("span", "br-swatch br-swatch-" + item.shape);
          swatch.style.background = item.shape === "line" ? "transparent" : item.color;
          swatch.style.borderColor = item.color;
          if (item.dashed) swatch.style.borderTopStyle = "dashed";
          row.appendChild(swatch);
          row.appendChild(el("span", null, item.label));
          body.appendChild(row);
        });
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }).addTo(map);
  }

  function title(map, text, subtitle) {
    control("topleft", function () {
      var box = el("div", "br-title leaflet-control");
      box.appendChild(el("div", "br-title-main", text));
      if (subtitle) box.appendChild(el("div", "br-title-sub", subtitle));
      return box;
    }).addTo(map);
  }

  /* Leaflet's layer control writes names with innerHTML, so names are escaped for it. */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function layerControl(map) {
    var overlays = {};
    stateOf(map).layers.forEach(function (group) { overlays[escapeHtml(group.brSpec.name)] = group; });
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  }

  function scaleBar(map) { L.control.scale({ imperial: false }).addTo(map); }

  /* Show only dated features on or before the chosen day (features without a date stay). */
  function applyTime(map, until) {
    var state = stateOf(map);
    state.applied = (state.applied || 0) + 1;  /* how often the layers were walked, for tests */
    state.timed.forEach(function (group) {
      if (group.brUntil) { group.brUntil(until); return; }
      if (!group.brAll) {
        group.brAll = group.getLayers();
        group.brAll.forEach(function (layer) { layer.brShown = true; });
      }
      var show = [], hide = [];
      group.brAll.forEach(function (layer) {
        var t = group.brTimes[layer.brIndex];
        var visible = t === null || t <= until;
        if (visible !== layer.brShown) (visible ? show : hide).push(layer);
        layer.brShown = visible;
      });
      if (group.addLayers) {  /* a cluster group re-clusters once per batch */
        group.removeLayers(hide);
        group.addLayers(show);
      } else {
        hide.forEach(function (layer) { group.removeLayer(layer); });
        show.forEach(function (layer) { group.addLayer(layer); });
      }
    });
    map.getContainer().setAttribute("data-br-until", dateText(until, "day"));
  }

  /* Runs fn at most once per animation frame: the first call of a burst at once, the last one
   * on the next frame, so dragging the slider over 100k features stays smooth. */
  function oncePerFrame(fn) {
    var busy = false, pending = null;
    function release() {
      busy = false;
      if (pending !== null) { var value = pending; pending = null; run(value); }
    }
    function run(value) {
      if (busy) { pending = value; return; }
      busy = true;
      fn(value);
      requestAnimationFrame(release);
    }
    return run;
  }

  /* The date one step after ms, in whole UTC days, weeks, months or years. */
  function stepAfter(ms, unit) {
    var d = new Date(ms);
    if (unit === "day") d.setUTCDate(d.getUTCDate() + 1);
    else if (unit === "week") d.setUTCDate(d.getUTCDate() + 7);
    else if (unit === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCFullYear(d.getUTCFullYear() + 1);
    return d.getTime();
  }

  /* The step that walks the whole range in a few dozen frames at most. */
  function defaultStep(range) {
    var days = (range.max - range.min) / 86400000;
    return days > 5 * 365 ? "year" : days > 365 ? "month" : days > 60 ? "week" : "day";
  }

  function timeFilter(map, range) {
    control("bottomleft", function () {
      var box = el("div", "br-time leaflet-control");
      var label = el("div", "br-time-label");
      var slider = el("input", "br-time-slider");
      slider.type = "range";
      slider.min = range.min; slider.max = range.max; slider.step = 86400000; slider.value = range.value;
      slider.setAttribute("aria-label", say(map, "sliderLabel"));
      var apply = oncePerFrame(function (until) { applyTime(map, until); });
      function update() {
        label.textContent = say(map, "upTo", formatDate(map, dateText(Number(slider.value), "day")));
        apply(Number(slider.value));
      }
      slider.addEventListener("input", update);

      var play = el("button", "br-time-play", say(map, "play"));
      play.type = "button";
      play.setAttribute("aria-label", say(map, "playLabel"));
      var unit = el("select", "br-time-step");
      unit.setAttribute("aria-label", say(map, "step"));
      ["day", "week", "month", "year"].forEach(function (name) {
        var option = el("option", null, say(map, name));
        option.value = name;
        unit.appendChild(option);
      });
      unit.value = defaultStep(range);
      var timer = null;
      function stop() {
        clearInterval(timer);
        timer = null;
        play.textContent = say(map, "play");
      }
      function tick() {
        var next = Math.min(stepAfter(Number(slider.value), unit.value), range.max);
        slider.value = next;
        update();
        if (next >= range.max) stop();
      }
      L.DomEvent.on(play, "click", function () {
        if (timer) { stop(); return; }
        if (Number(slider.value) >= range.max) { slider.value = range.min; update(); }
        play.textContent = say(map, "pause");
        timer = setInterval(tick, 400);
      });
      slider.addEventListener("pointerdown", stop);

      var controls = el("div", "br-time-controls");
      controls.appendChild(play);
      controls.appendChild(unit);
      box.appendChild(el("div", "br-time-title", say(map, "time")));
      box.appendChild(slider);
      box.appendChild(label);
      box.appendChild(controls);
      L.DomEvent.disableClickPropagation(box);
      setTimeout(update, 0);
      return box;
    }).addTo(map);
  }

  /* A handling marking (e.g. "UNCLASSIFIED//FOR OFFICIAL USE ONLY") at the top and bottom. */
  function marking(map, text) {
    ["top", "bottom"].forEach(function (edge) {
      var bar = el("div", "br-marking br-marking-" + edge, text);
      map.getContainer().appendChild(bar);
    });
    map.getContainer().classList.add("br-marked");
  }

  function footer(map, text) {
    control("bottomleft", function () { return el("div", "br-footer leaflet-control", text); }).addTo(map);
  }

  /* Static outputs (PNG, PDF): no buttons or sliders, the legend open; a north arrow instead. */
  function printMode(map) {
    map = only(map);
    map.getContainer().classList.add("br-print");
    control("topright", function () {
      var box = el("div", "br-north leaflet-control");
      box.appendChild(el("div", "br-north-arrow", "\u25B2"));
      box.appendChild(el("div", "br-north-n", say(map, "north")));
      return box;
    }).addTo(map);
    map.fire("brcontrols");  /* the controls changed: the view is fitted again (frame.js), names move (labels.js) */
  }

  /* The data a map's script reads from a JSON block of the page (layers/render/elements.py). */
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }

  /* The data layers of a map (by default the page's only map), for scripts and tests. */
  function layers(map) { return stateOf(only(map)).layers; }

  window.borderrisk = {
    language: language, formatDate: formatDate, addLayer: addLayer, legend: legend, title: title, timeFilter: timeFilter, applyTime: applyTime,
    layerControl: layerControl, scaleBar: scaleBar, marking: marking, footer: footer, printMode: printMode,
    layers: layers, maps: maps, mapOf: only, data: data,
    /* for the scripts loaded after this one (draw.js, labels.js) */
    el: el, control: control
  };
})();
