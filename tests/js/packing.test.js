// Unpacking the columns Python packs (runtime/packing.py; render/packing.py, layers/kinds/grid.py).
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain } = require("./runtime");

const br = load("packing.js");
const base64 = (bytes) => Buffer.from(bytes).toString("base64");

test("whole numbers come back from little-endian bytes of each width", () => {
  assert.deepEqual(Array.from(br.unpack({ data: base64([1, 2, 255]), bytes: 1 })), [1, 2, 255]);
  assert.deepEqual(Array.from(br.unpack({ data: base64([1, 1, 0, 2]), bytes: 2 })), [257, 512]);
  assert.deepEqual(Array.from(br.unpack({ data: base64([0, 0, 0, 1]), bytes: 4 })), [16777216]);
});

test("zigzag varints come back signed, over several bytes", () => {
  // 0 -> 0, -1 -> 1, 1 -> 2, 64 -> 128 (two bytes: 0x80 0x01), -65 -> 129 (0x81 0x01)
  assert.deepEqual(plain(br.varints(base64([0, 1, 2, 0x80, 0x01, 0x81, 0x01]))), [0, -1, 1, 64, -65]);
});

test("geometries come back as the coordinates they were, deltas over 10^decimals", () => {
  // A point at (1.5, -2), then a line of 2 points from (1.5, -2) on to (2, -1): deltas (15, -20),
  // (0, 0), (5, 10). Counts are zigzag varints too.
  const zigzag = (n) => (n < 0 ? -2 * n - 1 : 2 * n);
  const packed = {
    types: "PL",
    decimals: 1,
    counts: base64([2].map(zigzag)),
    coords: base64([15, -20, 0, 0, 5, 10].map(zigzag)),
  };
  assert.deepEqual(plain(br.unpackGeoms(packed)), [
    { type: "Point", coordinates: [1.5, -2] },
    { type: "LineString", coordinates: [[1.5, -2], [2, -1]] },
  ]);
});
