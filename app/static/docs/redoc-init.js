// Starts ReDoc for /redoc. ReDoc writes its styles into <style> elements at run time; it
// tags them with the nonce of this script, which the page's CSP names, so no other inline
// style is allowed.
(function () {
  "use strict";
  var holder = document.getElementById("redoc");
  Redoc.init(holder.getAttribute("data-openapi-url"), { nonce: document.currentScript.nonce }, holder);
})();
