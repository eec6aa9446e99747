/* borderrisk map runtime: columns packed in Python (render/packing.py, layers/kinds/grid.py)
 * back into numbers and GeoJSON geometries. Pure functions, tested in tests/js/. */
(function (br) {
  "use strict";

  /* Whole numbers packed by layers/kinds/grid.py: little-endian, 1, 2 or 4 bytes each, base64. */
  function unpack(packed) {
    var text = atob(packed.data), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return new ({ 1: Uint8Array, 2: Uint16Array, 4: Uint32Array })[packed.bytes](bytes.buffer);
  }

  /* Whole numbers written by render/packing.py: zigzag varints in base64. */
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

  /* A layer's GeoJSON geometries from their packed form (render/packing.py), the same numbers
   * the JSON would have given: whole numbers over 10^decimals. */
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

  Object.assign(br, { unpack: unpack, varints: varints, unpackGeoms: unpackGeoms });
})(window.borderrisk);
