/* borderrisk map runtime: the time filter, a slider (and a play button) that shows dated
 * features up to the chosen day; features without a date stay. */
(function (br) {
  "use strict";

  /* Show only dated features on or before day `until` (ms) in every dated layer of the map. */
  function applyTime(map, until) {
    br.mapState(map).timed.forEach(function (group) {
      var record = br.of(group);
      if (record.until) { record.until(until); return; }
      if (!record.all) {
        record.all = group.getLayers();
        record.all.forEach(function (layer) { br.of(layer).shown = true; });
      }
      var show = [], hide = [];
      record.all.forEach(function (layer) {
        var feature = br.of(layer), t = record.times[feature.index];
        var visible = t === null || t <= until;
        if (visible !== feature.shown) (visible ? show : hide).push(layer);
        feature.shown = visible;
      });
      if (group.addLayers) {  /* a cluster group re-clusters once per batch */
        group.removeLayers(hide);
        group.addLayers(show);
      } else {
        hide.forEach(function (layer) { group.removeLayer(layer); });
        show.forEach(function (layer) { group.addLayer(layer); });
      }
    });
    map.getContainer().setAttribute("data-br-until", br.dateText(until, "day"));
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

  function timeFilter(map, range) {
    var el = br.el, say = br.say;
    br.control("bottomleft", function () {
      var box = el("div", "br-time leaflet-control");
      var label = el("div", "br-time-label");
      var slider = el("input", "br-time-slider");
      slider.type = "range";
      slider.min = range.min; slider.max = range.max; slider.step = br.DAY; slider.value = range.value;
      slider.setAttribute("aria-label", say(map, "sliderLabel"));
      var apply = oncePerFrame(function (until) { br.applyTime(map, until); });
      function update() {
        label.textContent = say(map, "upTo", br.formatDate(map, br.dateText(Number(slider.value), "day")));
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
      unit.value = br.defaultStep(range);
      var timer = null;
      function stop() {
        clearInterval(timer);
        timer = null;
        play.textContent = say(map, "play");
      }
      function tick() {
        var next = Math.min(br.stepAfter(Number(slider.value), unit.value), range.max);
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

  Object.assign(br, { applyTime: applyTime, timeFilter: timeFilter });
})(window.borderrisk);
