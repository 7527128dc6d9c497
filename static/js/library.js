// 附近的职工书屋: the phone's position (WGS-84 from the browser) fills the search form, which htmx submits.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    var button = document.getElementById("lb-locate");
    var form = document.getElementById("lb-search");
    var msg = document.getElementById("lb-locate-msg");
    if (!button || !form) return;
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { msg.textContent = "此浏览器不能定位，请在地址中填写坐标"; return; }
      msg.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.elements.lng.value = pos.coords.longitude.toFixed(6);
        form.elements.coord.value = "wgs84";
        msg.textContent = "已定位（精度约 " + Math.round(pos.coords.accuracy) + " 米）";
        form.requestSubmit();
      }, function () {
        msg.textContent = "没有拿到位置：请在手机设置中允许浏览器定位后重试";
      }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  });
})();
