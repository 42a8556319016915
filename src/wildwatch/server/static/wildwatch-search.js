/*
 * Wildwatch search interstitial: the snippet a platform includes on its search page.
 * No dependencies; works under a strict Content-Security-Policy (no inline script or style:
 * the overlay is built with DOM calls and styled through element.style).
 *
 *   <script src="https://WILDWATCH/static/wildwatch-search.js"></script>
 *   Wildwatch.check(query, {endpoint: "/api/wildwatch/search-check", locale: "vi",
 *                           platform: "shopco"})
 *     .then(function (outcome) { if (outcome.proceed) { showResults(query); } });
 *
 * `endpoint` is best a route on the platform's own backend that forwards the body to
 * Wildwatch's POST /v1/search/check with the platform's X-API-Key: never put an API key in a
 * page. The answer decides:
 *   allow     -> {proceed: true} at once, nothing shown
 *   warn      -> an overlay: learn more, go back, show results anyway
 *   block     -> an overlay: learn more, go back
 *   redirect  -> the hosted interstitial page if `interstitialUrl` is given, else as block
 * On any error or after `timeoutMs` the search goes ahead (fail open): a slow or broken check
 * must never break a platform's search. See docs/engaging-users.md.
 *
 * On Wildwatch's hosted interstitial page the same file makes "go back" without a return
 * address step back in the browser's history.
 */
(function (global) {
  "use strict";

  var DEFAULTS = {
    endpoint: "/v1/search/check",
    locale: null,
    platform: null,
    headers: {},
    credentials: "same-origin",
    timeoutMs: 1500,
    interstitialUrl: null,
    returnUrl: null,
    resultsUrl: null
  };

  function settings(options) {
    var out = {};
    var key;
    for (key in DEFAULTS) {
      if (Object.prototype.hasOwnProperty.call(DEFAULTS, key)) { out[key] = DEFAULTS[key]; }
    }
    for (key in options || {}) {
      if (Object.prototype.hasOwnProperty.call(options, key)) { out[key] = options[key]; }
    }
    if (!out.locale && global.navigator) { out.locale = global.navigator.language || null; }
    return out;
  }

  function ask(query, options) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, options.timeoutMs)
                           : null;
    var headers = {"Content-Type": "application/json"};
    for (var name in options.headers) {
      if (Object.prototype.hasOwnProperty.call(options.headers, name)) {
        headers[name] = options.headers[name];
      }
    }
    function done(result) {
      if (timer) { clearTimeout(timer); }
      return result;
    }
    return fetch(options.endpoint, {
      method: "POST",
      headers: headers,
      credentials: options.credentials,
      signal: controller ? controller.signal : undefined,
      body: JSON.stringify({query: String(query), locale: options.locale,
                            platform: options.platform})
    }).then(function (response) {
      if (!response.ok) { throw new Error("search check answered HTTP " + response.status); }
      return response.json();
    }).then(done, function (error) {
      return done({action: "allow", message: null, error: String(error)});
    });
  }

  function element(tag, style, text) {
    var node = document.createElement(tag);
    for (var key in style) {
      if (Object.prototype.hasOwnProperty.call(style, key)) { node.style[key] = style[key]; }
    }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  var BUTTON = {padding: "0.55rem 1rem", border: "1px solid #1d2521", borderRadius: "4px",
                background: "#fff", color: "#1d2521", font: "inherit", cursor: "pointer",
                textDecoration: "none", display: "inline-block", margin: "0 0.6rem 0.6rem 0"};

  function button(label, kind, primary) {
    var node = element(kind === "learn-more" ? "a" : "button", BUTTON, label);
    node.setAttribute("data-wildwatch", kind);
    if (kind !== "learn-more") { node.type = "button"; }
    if (primary) { node.style.background = "#1d2521"; node.style.color = "#fff"; }
    return node;
  }

  /* Show the interstitial over the page; resolves "results" or "back". */
  function show(result) {
    return new Promise(function (resolve) {
      var message = result.message;
      var previous = document.activeElement;
      var backdrop = element("div", {position: "fixed", top: "0", left: "0", right: "0",
        bottom: "0", background: "rgba(20, 24, 22, 0.6)", display: "flex",
        alignItems: "center", justifyContent: "center", zIndex: "2147483647"});
      backdrop.className = "wildwatch-interstitial";
      var box = element("div", {boxSizing: "border-box", maxWidth: "34rem", margin: "1.5rem",
        padding: "2rem", background: "#fff", color: "#1d2521", borderRadius: "8px",
        borderTop: "6px solid #b5531c", font: "16px/1.5 system-ui, sans-serif",
        textAlign: "left"});
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-modal", "true");
      box.setAttribute("aria-labelledby", "wildwatch-interstitial-title");
      box.setAttribute("lang", result.locale || "en");
      var title = element("h2", {margin: "0 0 0.75rem", fontSize: "1.4rem", lineHeight: "1.3"},
                          message.title);
      title.id = "wildwatch-interstitial-title";
      box.appendChild(title);
      box.appendChild(element("p", {margin: "0 0 0.75rem"}, message.body));
      box.appendChild(element("p", {margin: "0 0 1.25rem", fontWeight: "600"}, message.note));
      var actions = element("div", {display: "flex", flexWrap: "wrap"});
      var learn = button(message.learn_more, "learn-more", true);
      learn.href = message.learn_more_url;
      learn.target = "_blank";
      learn.rel = "noopener noreferrer";
      var back = button(message.go_back, "go-back", false);
      actions.appendChild(learn);
      actions.appendChild(back);
      var onward = null;
      if (result.action === "warn" && message.show_results) {
        onward = button(message.show_results, "show-results", false);
        onward.style.borderColor = "transparent";
        onward.style.textDecoration = "underline";
        actions.appendChild(onward);
      }
      box.appendChild(actions);
      backdrop.appendChild(box);

      function close(choice) {
        document.removeEventListener("keydown", onKey, true);
        if (backdrop.parentNode) { backdrop.parentNode.removeChild(backdrop); }
        if (previous && previous.focus) { previous.focus(); }
        resolve(choice);
      }
      function onKey(event) {
        if (event.key === "Escape") { event.preventDefault(); close("back"); }
        if (event.key === "Tab") {  // keep focus inside the dialog
          var focusable = onward ? [learn, back, onward] : [learn, back];
          var at = focusable.indexOf(document.activeElement);
          var next = event.shiftKey ? at - 1 : at + 1;
          event.preventDefault();
          focusable[(next + focusable.length) % focusable.length].focus();
        }
      }
      back.addEventListener("click", function () { close("back"); });
      if (onward) { onward.addEventListener("click", function () { close("results"); }); }
      document.addEventListener("keydown", onKey, true);
      document.body.appendChild(backdrop);
      back.focus();
    });
  }

  function pageUrl(query, options) {
    var here = global.location ? global.location.href : null;
    var parts = [["query", query], ["locale", options.locale], ["platform", options.platform],
                 ["return", options.returnUrl || here], ["results", options.resultsUrl]];
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i][1]) {
        out.push(encodeURIComponent(parts[i][0]) + "=" + encodeURIComponent(parts[i][1]));
      }
    }
    var base = options.interstitialUrl;
    return base + (base.indexOf("?") < 0 ? "?" : "&") + out.join("&");
  }

  var Wildwatch = {
    /* Ask, and show what the answer says. Resolves {proceed, action, result, choice}:
       proceed is true when the platform should show the results. */
    check: function (query, options) {
      var chosen = settings(options);
      return ask(query, chosen).then(function (result) {
        var action = result.action || "allow";
        if (action === "allow" || !result.message) {
          return {proceed: true, action: "allow", result: result, choice: null};
        }
        if (action === "redirect" && chosen.interstitialUrl) {
          global.location.assign(pageUrl(query, chosen));
          return {proceed: false, action: action, result: result, choice: "redirect"};
        }
        return show(result).then(function (choice) {
          return {proceed: choice === "results" && action === "warn", action: action,
                  result: result, choice: choice};
        });
      });
    },
    /* Show an answer already fetched (e.g. by the platform's backend). */
    show: show
  };

  // The hosted interstitial page: "go back" without a return address steps back in history.
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ?
      event.target.closest("[data-wildwatch-back]") : null;
    if (target) {
      event.preventDefault();
      global.history.back();
    }
  });

  global.Wildwatch = Wildwatch;
})(window);
