// The runtime's pure functions on dates, numbers and colours (runtime/format.js).
const test = require("node:test");
const assert = require("node:assert/strict");
const { load } = require("./runtime");

const br = load("format.js");

test("a date is read at the precision it is written in", () => {
  assert.deepEqual(
    ["2023", "2023-07", "2023-07-16", "2023-07-16~"].map((text) => br.parseDate(text).precision),
    ["year", "month", "day", "week"],
  );
  assert.equal(br.parseDate("2023-07").ms, Date.UTC(2023, 6, 1));
});

test("anything that is not such a date is no date", () => {
  for (const text of ["", "16/07/2023", "2023-7", "2023-07-16 10:00", null, 2023]) assert.equal(br.parseDate(text), null);
});

test("a day is written back at each precision", () => {
  const ms = Date.UTC(2023, 6, 16);
  assert.deepEqual(
    ["year", "month", "day", "week"].map((p) => br.dateText(ms, p)),
    ["2023", "2023-07", "2023-07-16", "2023-07-16~"],
  );
});

test("a date is written by a CLDR pattern, quoted text as it is", () => {
  const months = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro"];
  assert.equal(br.writeDate(br.parseDate("2010-10"), "MMMM 'de' y", months), "outubro de 2010");
  assert.equal(br.writeDate(br.parseDate("2023-07-06"), "d/M/yy", months), "6/7/23");
  assert.equal(br.writeDate(br.parseDate("2023-07-06"), "dd.MM.y", months), "06.07.2023");
  assert.equal(br.writeDate(br.parseDate("2023"), "y''", months), "2023'");
});

test("a cell's count is short", () => {
  assert.deepEqual([950, 9499, 95000, 1234567].map(br.shortCount), ["950", "9.5k", "95k", "1.2M"]);
});

test("text on a colour is black or white, whichever reads better", () => {
  assert.deepEqual(["#ffffff", "#ffff00", "#000000", "#bd0026"].map(br.textOn), ["#111111", "#111111", "#ffffff", "#ffffff"]);
});

test("a step walks whole UTC days, weeks, months or years", () => {
  const jan15 = Date.UTC(2020, 0, 15);
  assert.deepEqual(
    ["day", "week", "month", "year"].map((unit) => new Date(br.stepAfter(jan15, unit)).toISOString().slice(0, 10)),
    ["2020-01-16", "2020-01-22", "2020-02-15", "2021-01-15"],
  );
});

test("the default step walks the range in a few dozen frames at most", () => {
  const span = (days) => br.defaultStep({ min: 0, max: days * br.DAY });
  assert.deepEqual([30, 200, 3 * 365, 20 * 365].map(span), ["day", "week", "month", "year"]);
});

test("names for Leaflet's innerHTML are escaped", () => {
  assert.equal(br.escapeHtml(`<b a="1">'&'</b>`), "&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
});
