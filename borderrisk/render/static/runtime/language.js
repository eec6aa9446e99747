/* borderrisk map runtime: the map's language (set by borderrisk.language before anything is
 * drawn): its words, date patterns, month names and number format. */
(function (br) {
  "use strict";

  var ENGLISH = { code: "en", text: {}, dates: { day: "y-MM-dd", month: "y-MM", year: "y" } };

  /* Set the map's language: {code, text, dates, months}. */
  function language(map, spec) { br.mapState(map).language = spec; }

  function languageOf(map) { return br.mapState(map).language || ENGLISH; }

  /* The runtime's word for key in the map's language, with {0}, {1} ... filled in. */
  function say(map, key) {
    var args = Array.prototype.slice.call(arguments, 2);
    var text = languageOf(map).text[key];
    if (text === undefined) throw new Error("borderrisk: no text for " + key);
    return text.replace(/\{(\d+)\}/g, function (all, k) { return String(args[Number(k)]); });
  }

  /* A date (parseDate's forms) as the map's language writes it, only as precisely as it is
   * known; a week is "week of" its day. Other values are returned as they are. */
  function formatDate(map, text) {
    var d = br.parseDate(text);
    if (!d) return text;
    var lang = languageOf(map);
    var shown = br.writeDate(d, lang.dates[d.precision === "week" ? "day" : d.precision], lang.months);
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

  Object.assign(br, { language: language, say: say, formatDate: formatDate, number: number });
})(window.borderrisk);
