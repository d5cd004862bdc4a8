// helpcenter: progressive enhancement only. Every page works without this
// file; with it, platform steps become tabs and the feedback widget
// answers in place.
(function () {
  "use strict";
  // "js" on <html> tells tests the script ran. No stylesheet rule may
  // hang on it: a class on the root that CSS reads restyles and relays out
  // the whole page after first paint, the longest task on a slow phone.
  document.documentElement.classList.add("js");

  // ---- Platform tabs -------------------------------------------------
  var STORAGE_KEY = "hc_platform";

  function guessPlatform() {
    var ua = navigator.userAgent || "";
    if (/KAIOS/i.test(ua)) return "kaios";
    if (/Android/i.test(ua)) return "android";
    if (/iPhone|iPad|iPod/i.test(ua)) return "iphone";
    if (/Macintosh/i.test(ua) && navigator.maxTouchPoints > 1) return "iphone";
    return "desktop";
  }

  function storedPlatform() {
    try { return localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }

  function storePlatform(p) {
    try { localStorage.setItem(STORAGE_KEY, p); } catch (e) { /* private mode */ }
  }

  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-platforms]"));

  function select(group, platform, focus) {
    var tabs = group.querySelectorAll(".platform-tabs a");
    var found = false;
    Array.prototype.forEach.call(tabs, function (t) {
      if (t.getAttribute("data-platform") === platform) found = true;
    });
    if (!found) {
      // desktop readers of a web-only article see the web steps, and so on
      var fallback = { desktop: "web", web: "desktop" }[platform];
      if (fallback && group.querySelector('.platform-tabs a[data-platform="' + fallback + '"]')) {
        platform = fallback;
      } else {
        platform = tabs[0].getAttribute("data-platform");
      }
    }
    Array.prototype.forEach.call(tabs, function (t) {
      var on = t.getAttribute("data-platform") === platform;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      if (on && focus) t.focus();
    });
    Array.prototype.forEach.call(group.querySelectorAll(".platform-section"), function (s) {
      s.hidden = s.getAttribute("data-platform") !== platform;
    });
  }

  groups.forEach(function (group) {
    var list = group.querySelector(".platform-tabs");
    group.classList.add("tabbed");
    list.setAttribute("role", "tablist");
    Array.prototype.forEach.call(list.children, function (li) { li.setAttribute("role", "presentation"); });
    var tabs = Array.prototype.slice.call(list.querySelectorAll("a"));
    tabs.forEach(function (tab, i) {
      var panel = document.getElementById(tab.getAttribute("href").slice(1));
      tab.setAttribute("role", "tab");
      tab.id = panel.id + "-tab";
      tab.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tab.addEventListener("click", function (e) {
        e.preventDefault();
        var p = tab.getAttribute("data-platform");
        storePlatform(p);
        groups.forEach(function (g) { select(g, p, g === group); });
      });
      tab.addEventListener("keydown", function (e) {
        var rtl = getComputedStyle(list).direction === "rtl";
        var next = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, Home: "first", End: "last" }[e.key];
        if (next === undefined) return;
        e.preventDefault();
        var j = next === "first" ? 0 : next === "last" ? tabs.length - 1 : (i + next + tabs.length) % tabs.length;
        tabs[j].click();
      });
    });
    // A link to one platform's steps (#steps-2-iphone) wins over the guess.
    var id = location.hash.slice(1);
    var target = id && document.getElementById(id);
    if (!target || !group.contains(target) || !target.classList.contains("platform-section")) target = null;
    select(group, target ? target.getAttribute("data-platform") : storedPlatform() || guessPlatform(), false);
  });

  // ---- Feedback widget -------------------------------------------------
  var widget = document.querySelector("[data-feedback]");
  if (!widget || !window.fetch) return;
  var status = widget.querySelector(".feedback-status");

  function show(step) {
    Array.prototype.forEach.call(widget.querySelectorAll(".feedback-step"), function (el) {
      el.hidden = el.getAttribute("data-step") !== step;
    });
    var focusTarget = step === "reason" ? widget.querySelector('[data-step="reason"] legend')
      : step === "thanks" ? widget.querySelector(".feedback-thanks-title")
      : widget.querySelector('[data-step="vote"] button');
    if (focusTarget) focusTarget.focus();
  }

  // The form's fields as a urlencoded body, with the button that was
  // clicked: older browsers (KaiOS among them) know neither
  // SubmitEvent.submitter nor URLSearchParams built from a FormData.
  function encode(form, clicked) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      parts.push(encodeURIComponent(el.name) + "=" + encodeURIComponent(el.value));
    });
    if (clicked && clicked.name) parts.push(encodeURIComponent(clicked.name) + "=" + encodeURIComponent(clicked.value));
    return parts.join("&");
  }

  function clearErrors() {
    Array.prototype.forEach.call(widget.querySelectorAll("[data-js-error]"), function (el) {
      var owner = document.querySelector('[aria-describedby~="' + el.id + '"]');
      if (owner) {
        var ids = owner.getAttribute("aria-describedby").split(" ").filter(function (x) { return x !== el.id; });
        if (ids.length) owner.setAttribute("aria-describedby", ids.join(" ")); else owner.removeAttribute("aria-describedby");
      }
      el.parentNode.removeChild(el);
    });
  }

  // showError puts the message next to the field it is about and ties it
  // to that field for screen readers.
  function showError(form, field, message) {
    var p = document.createElement("p");
    p.className = "field-error";
    p.id = "feedback-" + (field || "form") + "-error-js";
    p.setAttribute("data-js-error", "");
    p.textContent = message;
    var owner = field === "comment" ? form.querySelector("textarea") : form.querySelector("fieldset");
    if (!owner) owner = form;
    if (owner.tagName === "FIELDSET") {
      var legend = owner.querySelector("legend");
      owner.insertBefore(p, legend ? legend.nextSibling : owner.firstChild);
    } else {
      owner.parentNode.insertBefore(p, owner);
    }
    var ids = (owner.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    ids.push(p.id);
    owner.setAttribute("aria-describedby", ids.join(" "));
  }

  Array.prototype.forEach.call(widget.querySelectorAll("form"), function (form) {
    var clicked = null;
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
      b.addEventListener("click", function () { clicked = b; });
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var submitter = e.submitter || clicked;
      var body = encode(form, submitter);
      clearErrors();
      status.textContent = status.getAttribute("data-sending");
      var buttons = form.querySelectorAll("button");
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
      fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: body,
        credentials: "same-origin"
      }).then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      }).then(function (r) {
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        if (r.ok) {
          status.textContent = r.data.message;
          show(r.data.next);
          return;
        }
        // Validation or rate limit: say so where the reader is; never thank.
        status.textContent = r.data.error;
        showError(form, r.data.field, r.data.error);
      }).catch(function () {
        // Network trouble: fall back to the plain form post, clicked
        // button included.
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        if (submitter && submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = submitter.name;
          hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        form.submit();
      });
    });
  });

  var change = widget.querySelector("[data-feedback-change]");
  if (change) {
    change.addEventListener("click", function (e) {
      e.preventDefault();
      status.textContent = "";
      show("vote");
    });
  }
})();

// ---- Contact form ------------------------------------------------------
// Articles that may answer the request appear while the reader types;
// the device is preselected from the User-Agent (never in the HTML, so
// the page stays the same for everyone); what was typed survives a visit
// to a suggested article.
(function () {
  "use strict";
  var form = document.querySelector("[data-contact]");
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
  if (!form) return;

  var ua = navigator.userAgent || "";
  var device = /KAIOS/i.test(ua) ? "kaios" : /Android/i.test(ua) ? "android"
    : /iPhone|iPad|iPod/i.test(ua) || (/Macintosh/i.test(ua) && navigator.maxTouchPoints > 1) ? "iphone"
    : "web";
  var radios = form.querySelectorAll("input[name=device]");
  var chosen = Array.prototype.some.call(radios, function (r) { return r.checked; });
  var guess = form.querySelector('input[name=device][value="' + device + '"]');
  if (!chosen && guess) guess.checked = true;

  var text = form.querySelector("textarea[name=description]");
  var KEY = "hc_contact_draft:" + form.getAttribute("action");
  try {
    if (!text.value && sessionStorage.getItem(KEY)) text.value = sessionStorage.getItem(KEY);
  } catch (e) { /* storage off */ }

  var box = document.getElementById("contact-suggest");
  var status = document.getElementById("contact-suggest-status");
  var timer = null, last = "", seq = 0;

  // CJK and Thai write a word in one or two characters.
  function minChars(q) {
    return /[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/.test(q) ? 2 : 3;
  }

  function render(data) {
    box.textContent = "";
    if (!data.items.length) {
      box.hidden = true;
    } else {
      var title = document.createElement("p");
      title.className = "suggestions-title";
      title.textContent = box.getAttribute("data-title");
      var list = document.createElement("ul");
      list.className = "article-list";
      data.items.forEach(function (s) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = s.href;
        a.textContent = s.title;
        if (s.lang) a.lang = s.lang;
        li.appendChild(a);
        list.appendChild(li);
      });
      box.appendChild(title);
      box.appendChild(list);
      box.hidden = false;
    }
    status.textContent = data.announce;
  }

  function update() {
    var q = text.value.replace(/\s+/g, " ").trim().slice(0, 200);
    try { sessionStorage.setItem(KEY, text.value); } catch (e) { /* storage off */ }
    if (q === last) return;
    last = q;
    if (q.length < minChars(q)) {
      box.hidden = true;
      return;
    }
    var mine = ++seq;
    fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (data) {
      if (data && mine === seq) render(data);
    }).catch(function () { /* suggestions are a help, not a step */ });
  }

  if (box && status && window.fetch) {
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
  }

  form.addEventListener("submit", function () {
    // Suggestions were offered while typing: one post sends the request.
    if (!form.querySelector("input[name=step]")) {
      var step = document.createElement("input");
      step.type = "hidden";
      step.name = "step";
      step.value = "confirm";
      form.appendChild(step);
    }
    try { sessionStorage.removeItem(KEY); } catch (e) { /* storage off */ }
  });
})();
