/* borderrisk map runtime: point layers. Points become circle markers: with a canvas renderer
 * that scales to 100k+. With spec.cluster, nearby and co-located points merge into clusters
 * (Leaflet.markercluster) that split as the map zooms in; at the last zoom a click spreads a
 * cluster around its place, or lists its points when they are too many to spread. */
(function (br) {
  "use strict";

  var SPREAD_AT_MOST = 12;  /* more co-located points than this are listed, not spread */
  var LIST_PAGE = 10;

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
    var badge = br.el("div", "br-cluster", br.number(map, n));
    badge.style.background = best;
    badge.style.color = br.textOn(best);
    badge.style.lineHeight = size - 4 + "px";
    return L.divIcon({ html: badge, className: "br-cluster-icon", iconSize: L.point(size, size) });
  }

  /* The layer of a spec with x and y columns; each marker knows its feature (br.of(marker).index). */
  function pointGroup(map, spec, interactive) {
    var markers = new Array(spec.n);
    for (var i = 0; i < spec.n; i++) {
      var style = br.styleOf(spec, i);
      style.interactive = interactive;
      markers[i] = L.circleMarker([spec.y[i], spec.x[i]], style);
      br.of(markers[i]).index = i;
    }
    if (!spec.cluster) return L.featureGroup(markers);
    var group = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: function (cluster) { return clusterIcon(map, cluster); },
      /* Markers are clustered in chunks once the group is on the map; clustered(group) says all
       * are in, so scripts (tests, PNG export) act on the finished clusters, not a partial set. */
      chunkProgress: function (done, total) {
        br.of(group).clustered = done >= total;
        if (done >= total) map.fire("brclusters");
      }
    });
    /* The badges are in place (all clustered, or a zoom's animation over): names under them move (labels.js). */
    group.on("animationend", function () { map.fire("brclusters"); });
    br.of(group).clustered = markers.length === 0;
    group.addLayers(markers);
    listCrowds(map, group, spec);
    return group;
  }

  /* Whether a data layer's points are all clustered (always, for a layer that does not cluster). */
  function clustered(layer) { return br.of(layer).clustered !== false; }

  /* A click on a cluster whose points share one place spreads them around it (a capped circle);
   * when there are more than SPREAD_AT_MOST, a popup lists them instead, a page at a time, and
   * an entry opens that point's own popup. */
  function listCrowds(map, group, spec) {
    var el = br.el;
    group.on("spiderfied", function (e) {
      if (e.markers.length <= SPREAD_AT_MOST) return;
      e.cluster.unspiderfy();
      var items = e.markers.map(function (marker) { return br.of(marker).index; }).sort(function (a, b) { return a - b; });
      var box = el("div", "br-popup br-list"), page = 0;
      function show() {
        box.textContent = "";
        box.appendChild(el("div", "br-popup-title", br.say(map, "atThisPlace", br.number(map, items.length))));
        var list = el("ol", "br-list-items");
        list.start = page * LIST_PAGE + 1;
        items.slice(page * LIST_PAGE, (page + 1) * LIST_PAGE).forEach(function (i) {
          var entry = el("li");
          var link = el("a", null, br.tooltipContent(map, spec, i).textContent || spec.name);
          link.href = "#";
          L.DomEvent.on(link, "click", function (event) {
            L.DomEvent.preventDefault(event);
            br.popupAt(map, e.cluster.getLatLng(), br.popupContent(map, spec, i));
          });
          entry.appendChild(link);
          list.appendChild(entry);
        });
        box.appendChild(list);
        var pages = Math.ceil(items.length / LIST_PAGE);
        var nav = el("div", "br-list-pages");
        [[br.say(map, "previous"), page - 1], [br.say(map, "next"), page + 1]].forEach(function (pair) {
          var button = el("button", "br-list-page", pair[0]);
          button.type = "button";
          button.disabled = pair[1] < 0 || pair[1] >= pages;
          L.DomEvent.on(button, "click", function (event) { L.DomEvent.stop(event); page = pair[1]; show(); });
          nav.appendChild(button);
        });
        nav.appendChild(el("span", "br-list-count", br.say(map, "pageOf", br.number(map, page + 1), br.number(map, pages))));
        box.appendChild(nav);
      }
      show();
      br.popupAt(map, e.cluster.getLatLng(), box);
    });
  }

  Object.assign(br, { pointGroup: pointGroup, clustered: clustered });
})(window.borderrisk);
