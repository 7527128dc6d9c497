/* Stations: the worker map (附近驿站), the coverage map and the printable poster.
   Markers come from the server-rendered list (data-lat/lng on each item), so the list works with
   no tile server and no JavaScript; the map is a bonus drawn on top of it. */
(function () {
  "use strict";

  function tileLayer(el) {
    var url = el.getAttribute("data-tile-url");
    if (!url) return null;
    // The tile server is a setting (GONGHUI_TILE_URL): 高德 by default, or a union's intranet server.
    var options = { maxZoom: 18, attribution: el.getAttribute("data-tile-attribution") || "" };
    var subdomains = el.getAttribute("data-tile-subdomains");
    if (subdomains) options.subdomains = subdomains;
    return L.tileLayer(url, options);
  }

  function workerMap() {
    var el = document.getElementById("st-map");
    var form = document.getElementById("st-search");
    if (!el || !form) return;
    var map = null, layer = null;
    if (window.L) {
      map = L.map(el, { zoomControl: true, attributionControl: false }).setView([33.3479, 120.1633], 12);
      var tiles = tileLayer(el);
      if (tiles) {
        tiles.once("tileerror", function () {
          var note = document.getElementById("st-map-note");
          if (note) note.hidden = false;
        });
        tiles.addTo(map);
      }
      layer = L.layerGroup().addTo(map);
    }

    function draw() {
      if (!map) return;
      layer.clearLayers();
      var box = document.querySelector(".st-results");
      if (!box) return;
      var center = [parseFloat(box.getAttribute("data-center-lat")), parseFloat(box.getAttribute("data-center-lng"))];
      var bounds = [center];
      L.circleMarker(center, { radius: 7, color: "#1d4ed8", fillColor: "#3b82f6", fillOpacity: 0.9 })
        .bindTooltip("我的位置").addTo(layer);
      document.querySelectorAll(".st-item").forEach(function (item, i) {
        var p = [parseFloat(item.getAttribute("data-lat")), parseFloat(item.getAttribute("data-lng"))];
        var open = item.getAttribute("data-open") === "1";
        var m = L.circleMarker(p, { radius: 9, color: open ? "#15803d" : "#9ca3af",
                                    fillColor: open ? "#22c55e" : "#d1d5db", fillOpacity: 0.95, weight: 2 });
        m.bindTooltip((i + 1) + ". " + item.getAttribute("data-name"));
        m.on("click", function () { item.scrollIntoView({ behavior: "smooth", block: "center" }); });
        m.addTo(layer);
        bounds.push(p);
      });
      map.invalidateSize();
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16, animate: false });
    }

    function setPlace(lat, lng, coord) {
      form.elements.lat.value = lat;
      form.elements.lng.value = lng;
      form.elements.coord.value = coord;
    }

    var msg = document.getElementById("st-locate-msg");
    document.getElementById("st-locate").addEventListener("click", function () {
      if (!navigator.geolocation) { msg.textContent = "此浏览器不支持定位，请选择区县。"; return; }
      msg.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        msg.textContent = "";
        form.elements.district.value = "";
        // Browsers report GPS (WGS-84); the server converts to the map apps' GCJ-02.
        setPlace(pos.coords.latitude.toFixed(6), pos.coords.longitude.toFixed(6), "wgs84");
        htmx.trigger(form, "submit");
      }, function () {
        msg.textContent = "无法获取位置（可能未授权定位），请选择区县。";
      }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
    document.getElementById("st-district").addEventListener("change", function () {
      setPlace("", "", "gcj02");
    });
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail.target && e.detail.target.id === "st-list") draw();
    });
    draw();
  }

  function coverageMap() {
    var el = document.getElementById("cov-map");
    var dataEl = document.getElementById("cov-data");
    if (!el || !dataEl || !window.L) return;
    var d = JSON.parse(dataEl.textContent);
    var map = L.map(el, { attributionControl: false, preferCanvas: true });
    var tiles = tileLayer(el);
    if (tiles) tiles.addTo(map);
    map.fitBounds([[d.bbox[0], d.bbox[1]], [d.bbox[2], d.bbox[3]]]);
    d.stations.forEach(function (p) {
      L.circle(p, { radius: d.radius, color: "#2563eb", weight: 1, fillOpacity: 0.06 }).addTo(map);
      L.circleMarker(p, { radius: 3, color: "#1d4ed8", fillOpacity: 1 }).addTo(map);
    });
    d.uncovered.forEach(function (p) {
      L.circleMarker(p, { radius: 2, color: "#dc2626", weight: 0, fillOpacity: 0.7 }).addTo(map);
    });
    d.suggestions.forEach(function (s) {
      L.circle([s[0], s[1]], { radius: d.radius, color: "#16a34a", weight: 2, fillOpacity: 0.08 }).addTo(map);
      L.marker([s[0], s[1]], { icon: L.divIcon({ className: "cov-pick", html: String(s[2]), iconSize: [22, 22] }) })
        .addTo(map);
    });
  }

  function bars() {
    document.querySelectorAll(".st-bar").forEach(function (bar) {
      var n = +bar.getAttribute("data-n"), max = +bar.getAttribute("data-max") || 1;
      bar.firstElementChild.style.height = Math.round((100 * n) / max) + "%";
    });
  }

  function poster() {
    var b = document.getElementById("st-print");
    if (b) b.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    workerMap(); coverageMap(); bars(); poster();
  });
})();
