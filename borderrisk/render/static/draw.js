/* borderrisk draw tool: Leaflet-Geoman draws, edits, moves and deletes points, lines and areas;
 * each shape carries a title and a note, typed into a form in its popup and kept as values
 * (never markup); the shapes export as the GeoJSON `borderrisk annotate import` takes.
 * Every string it shows comes from the texts passed in from Python (layers/render/drawing.py).
 * Loaded after the runtime (runtime/), it builds with its el and control and adds drawTool and
 * drawnCollection to its namespace; what it keeps about shapes lives in their records (br.of). */
(function (br) {
  "use strict";

  /* Geoman handles only the layers that opt in (the drawn shapes), never the map's data layers. */
  L.PM.setOptIn(true);

  var COLOR = "#00838f";  /* the annotations layer's colour: drawn shapes become annotations */
  var DECIMALS = 6;  /* exported degrees (about 0.1 m), as the map draws annotations */
  var GEOMAN_GROUPS = ["tooltips", "actions", "buttonTitles"];
  var MODES = "pm:globaldrawmodetoggled pm:globaleditmodetoggled pm:globaldragmodetoggled pm:globalremovalmodetoggled";
  var el = br.el, control = br.control;  /* the runtime is loaded first */

  /* Geoman's strings ("tooltips.firstVertex": ...) nested as its setLang takes them. */
  function geomanTexts(texts) {
    var nested = {};
    Object.keys(texts).forEach(function (key) {
      var parts = key.split(".");
      if (parts.length !== 2 || GEOMAN_GROUPS.indexOf(parts[0]) < 0) return;
      nested[parts[0]] = nested[parts[0]] || {};
      nested[parts[0]][parts[1]] = texts[key];
    });
    return nested;
  }

  /* A labelled field of the shape form whose value is kept in br.of(layer).text[key]. */
  function field(layer, key, label, tag, changed) {
    var row = el("label", "br-shape-field");
    row.appendChild(el("span", "br-shape-label", label));
    var input = el(tag, "br-shape-" + key);
    if (tag === "textarea") input.rows = 3;
    input.value = br.of(layer).text[key];
    input.addEventListener("input", function () { br.of(layer).text[key] = input.value; changed(); });
    row.appendChild(input);
    return row;
  }

  /* A drawn shape gets an empty title and note, a popup with the form that sets them, and a
   * tooltip that shows the title once there is one. */
  function describe(layer, texts) {
    var text = (br.of(layer).text = { title: "", note: "" });
    var tip = el("span");
    function retitle() {
      tip.textContent = text.title;
      if (text.title.trim() && !layer.getTooltip()) layer.bindTooltip(tip, { direction: "top" });
      if (!text.title.trim() && layer.getTooltip()) layer.unbindTooltip();
    }
    var form = el("form", "br-shape-form");
    form.appendChild(field(layer, "title", texts["shape.title"], "input", retitle));
    form.appendChild(field(layer, "note", texts["shape.note"], "textarea", function () {}));
    L.DomEvent.on(form, "submit", L.DomEvent.preventDefault);
    /* Keys typed in the form are text, not the map's arrow-key panning or +/- zoom. */
    L.DomEvent.on(form, "keydown keyup keypress", L.DomEvent.stopPropagation);
    layer.bindPopup(form, { minWidth: 220, className: "br-shape-popup" });
    layer.on("popupopen", function () { form.querySelector("input").focus(); });
  }

  /* One shape as a GeoJSON Feature, its title and note kept exactly as typed (blank ones left out). */
  function feature(layer) {
    var geojson = layer.toGeoJSON(DECIMALS);
    geojson.properties = {};
    ["title", "note"].forEach(function (key) {
      var value = br.of(layer).text[key];
      if (value.trim()) geojson.properties[key] = value;
    });
    return geojson;
  }

  /* The shapes drawn on a map (by default the page's only map) as a GeoJSON FeatureCollection. */
  function drawnCollection(map) {
    var group = br.of(br.mapOf(map)).drawn;
    return { type: "FeatureCollection", features: group ? group.getLayers().map(feature) : [] };
  }

  /* The panel under the toolbar: how many shapes, and a link that downloads them as GeoJSON. */
  function panel(map, texts) {
    var count = el("div", "br-draw-count");
    control("topleft", function () {
      var box = el("div", "br-draw leaflet-control");
      box.appendChild(el("div", "br-draw-title", texts["panel.title"]));
      box.appendChild(count);
      box.appendChild(el("div", "br-draw-help", texts["panel.help"]));
      var link = el("a", "br-draw-export", texts["panel.export"]);
      link.href = "#";
      link.download = "drawn.geojson";
      /* The link points at the shapes as they are when it is clicked. */
      L.DomEvent.on(link, "click", function () {
        var text = JSON.stringify(drawnCollection(map), null, 1);
        if (link.href.indexOf("blob:") === 0) URL.revokeObjectURL(link.href);
        link.href = URL.createObjectURL(new Blob([text], { type: "application/geo+json" }));
      });
      box.appendChild(link);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    }).addTo(map);
    return function update() {
      count.textContent = texts["panel.count"].replace("{n}", String(br.of(map).drawn.getLayers().length));
    };
  }

  /* While the user draws, edits, moves or deletes, the map's data layers let clicks through to
   * the map (no popup or tooltip of a country opens under a vertex); drawn shapes have their
   * own pane, above the data, and stay clickable. */
  function quietWhileDrawing(map) {
    map.createPane("brDrawn").style.zIndex = 450;
    map.on(MODES, function () {
      var pm = map.pm, busy = pm.globalDrawModeEnabled() || pm.globalEditModeEnabled() ||
                              pm.globalDragModeEnabled() || pm.globalRemovalModeEnabled();
      map.getContainer().classList.toggle("br-drawing", !!busy);
      if (busy) map.closePopup();
    });
  }

  function drawTool(map, texts) {
    if (!map.pm) {  /* the map was made before Geoman's opt-in: give it Geoman's handler */
      map.pm = new L.PM.Map(map);
      map.pm.setGlobalOptions({});
    }
    quietWhileDrawing(map);
    var drawn = (br.of(map).drawn = L.featureGroup().addTo(map));
    map.pm.setLang("en", geomanTexts(texts), "en");
    map.pm.setGlobalOptions({
      layerGroup: drawn,
      panes: { layerPane: "brDrawn", vertexPane: "markerPane", markerPane: "markerPane" },
      finishOn: "dblclick",
      exitModeOnEscape: true,
      pathOptions: { color: COLOR, weight: 3, fillColor: COLOR, fillOpacity: 0.15, pmIgnore: false },
      markerStyle: { pmIgnore: false },
      templineStyle: { color: COLOR },
      hintlineStyle: { color: COLOR, dashArray: "5,5" }
    });
    map.pm.addControls({
      position: "topleft", drawCircle: false, drawCircleMarker: false, drawText: false,
      cutPolygon: false, rotateMode: false
    });
    var update = panel(map, texts);
    map.on("pm:create", function (e) {
      describe(e.layer, texts);
      update();
      e.layer.openPopup();
    });
    map.on("pm:remove", update);
    update();
  }

  Object.assign(br, { drawTool: drawTool, drawnCollection: drawnCollection });
})(window.borderrisk);
