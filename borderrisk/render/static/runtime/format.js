/* borderrisk map runtime: pure functions on dates, numbers and colours (no map, no page), so
 * that node's test runner checks them (tests/js/). */
(function (br) {
  "use strict";

  var DAY = 86400000;

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

  /* A parsed date written by a CLDR pattern (d, dd, M, MM, MMMM, y, yy, 'quoted'), with the
   * language's month names. */
  function writeDate(d, pattern, months) {
    return pattern.replace(/'([^']*)'|d+|M+|y+/g, function (token, quoted) {
      if (quoted !== undefined) return quoted === "" ? "'" : quoted;
      var n = token.length;
      if (token[0] === "y") return n === 2 ? d.year.slice(2) : d.year;
      if (token[0] === "M") return n >= 3 ? months[Number(d.month) - 1] : n === 2 ? d.month : String(Number(d.month));
      return n === 2 ? d.day : String(Number(d.day));
    });
  }

  /* The count as a cell shows it: 950, 9.5k, 95k, 1.2M. */
  function shortCount(n) {
    if (n < 1000) return String(n);
    if (n < 1e6) return (n < 1e4 ? (n / 1e3).toFixed(1) : Math.round(n / 1e3)) + "k";
    return (n / 1e6).toFixed(1) + "M";
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

  /* The date one step after ms, in whole UTC days, weeks, months or years. */
  function stepAfter(ms, unit) {
    var d = new Date(ms);
    if (unit === "day") d.setUTCDate(d.getUTCDate() + 1);
    else if (unit === "week") d.setUTCDate(d.getUTCDate() + 7);
    else if (unit === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCFullYear(d.getUTCFullYear() + 1);
    return d.getTime();
  }

  /* The step that walks the range {min, max} (ms) in a few dozen frames at most. */
  function defaultStep(range) {
    var days = (range.max - range.min) / DAY;
    return days > 5 * 365 ? "year" : days > 365 ? "month" : days > 60 ? "week" : "day";
  }

  /* Text for a place that Leaflet fills with innerHTML (its layer control), escaped. */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  Object.assign(br, {
    DAY: DAY, parseDate: parseDate, dateText: dateText, writeDate: writeDate, shortCount: shortCount, textOn: textOn,
    stepAfter: stepAfter, defaultStep: defaultStep, escapeHtml: escapeHtml
  });
})(window.borderrisk);
