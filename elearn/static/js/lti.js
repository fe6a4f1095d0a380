/* LTI pages (the Content-Security-Policy forbids inline scripts).
 * - Login initiation: when the browser keeps cookies here, continue at once; when it blocks them (elearn
 *   shown in an LMS's iframe, third-party cookies blocked), say so: the link opens elearn in a new window.
 * - Deep linking: send the teacher's choice back to the platform without a second click. */
(function () {
  "use strict";
  var check = document.getElementById("lti-cookie-check");
  if (check) {
    var name = "elearn_cookie_test";
    var secure = location.protocol === "https:" ? "; SameSite=None; Secure" : "";
    document.cookie = name + "=1; path=/" + secure;
    var kept = document.cookie.indexOf(name + "=1") !== -1;
    document.cookie = name + "=; path=/; max-age=0" + secure;
    if (kept) {
      location.replace(check.getAttribute("data-continue"));
    } else {
      document.getElementById("lti-cookie-checking").hidden = true;
      document.getElementById("lti-cookie-blocked").hidden = false;
    }
  }
  var back = document.getElementById("lti-deep-link-return");
  if (back) {
    back.submit();
  }
})();
