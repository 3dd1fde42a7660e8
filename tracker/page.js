(function () {
  "use strict";
  var started = performance.now();
  // The timeline page: lanes by jurisdiction on one date axis. Every string in the data came
  // from a scraped source, so it only ever reaches the page through textContent.
  var data = JSON.parse(document.getElementById("tl-data").textContent);
  var meta = data.meta;
  var events = data.events;
  var ROW = 23, PAD = 8, R = 6.5, MAX_ROWS = 4, BUCKET = 32, MIN_LANE = 66, MAX_EXTRA = 160, MIN_SPAN = 40, MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
  var state = { type: null, jurisdiction: null, status: null, v0: 0, v1: 1, selected: null, cluster: null };
  var drawn = [];
  var $ = function (id) { return document.getElementById(id); };
  var chart = $("chart"), axis = $("axis"), lanesEl = $("lanes"), detail = $("detail"), tip = $("tip");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function colour(type) { return meta.colours[type] || meta.colours.other; }
  function paint(node, type) {
    node.style.setProperty("--c", colour(type));
    node.style.setProperty("--cl", colour(type) + "59");
  }
  function human(type) { return String(type).replace(/_/g, " "); }
  function isoDay(day) { return new Date(day * 86400000).toISOString().slice(0, 10); }
  function dayOf(y, m) { return Math.round(Date.UTC(y, m, 1) / 86400000); }
  function yearOf(day) { return new Date(day * 86400000).getUTCFullYear(); }
  function parseDay(text) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text || "");
    return m ? Math.round(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1) / 86400000) : null;
  }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url); }
  function dateLabel(ev) {
    if (ev.d) return (ev.q ? ev.q + " " : "") + ev.d;
    return ev.pl ? "undated (published " + ev.pl + ")" : "undated";
  }
  function count(key) {
    var out = {};
    events.forEach(function (ev) { out[ev[key]] = (out[ev[key]] || 0) + 1; });
    return out;
  }

  // --- vocabulary present in the data: types in contract order, HK and CN lanes first ---------
  var typeCounts = count("t"), placeCounts = count("j"), statusCounts = count("s");
  var types = meta.types.filter(function (t) { return typeCounts[t]; });
  Object.keys(typeCounts).forEach(function (t) { if (types.indexOf(t) < 0) types.push(t); });
  var places = Object.keys(placeCounts).sort(function (a, b) {
    var rank = function (c) { return c === "HK" ? 0 : c === "CN" ? 1 : 2; };
    return rank(a) - rank(b) || placeCounts[b] - placeCounts[a] || (a < b ? -1 : 1);
  });
  var statuses = meta.statuses.filter(function (s) { return statusCounts[s]; });
  var placedEvents = events.filter(function (ev) { return ev.a !== null; });
  var lo = Infinity, hi = -Infinity;
  placedEvents.forEach(function (ev) { lo = Math.min(lo, ev.a); hi = Math.max(hi, ev.b); });

  // --- the address keeps filters, view and selection: #type=ban,guidance&jurisdiction=HK ----
  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i > 0) params[decodeURIComponent(part.slice(0, i))] = decodeURIComponent(part.slice(i + 1));
    });
    ["type", "jurisdiction", "status"].forEach(function (key) {
      state[key] = key in params ? params[key].split(",").filter(Boolean) : null;
    });
    var from = parseDay(params.from), to = parseDay(params.to);
    if (from !== null && to !== null && to > from) { state.v0 = from; state.v1 = to + 1; } else fit(true);
    state.selected = params.event ? +params.event : null;
    state.cluster = null;
    state.showSelected = state.selected !== null;
  }
  var hashTimer = 0;
  function writeHash() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(function () {
      var parts = [];
      ["type", "jurisdiction", "status"].forEach(function (key) {
        if (state[key]) parts.push(key + "=" + state[key].map(encodeURIComponent).join(","));
      });
      parts.push("from=" + isoDay(Math.round(state.v0)), "to=" + isoDay(Math.round(state.v1) - 1));
      if (state.selected !== null) parts.push("event=" + state.selected);
      try { history.replaceState(null, "", "#" + parts.join("&")); } catch (e) { /* file: URLs may refuse */ }
    }, 250);
  }
  function allowed(key, value) { return !state[key] || state[key].indexOf(value) >= 0; }
  function shownEvents() {
    return placedEvents.filter(function (ev) {
      return allowed("type", ev.t) && allowed("jurisdiction", ev.j) && allowed("status", ev.s);
    });
  }

  // --- filters: one chip per value, the type chips are the colour legend ---------------------
  function filterGroup(key, values, counts, swatch) {
    var box = $("f-" + key);
    values.forEach(function (value) {
      var chip = el("label", "chip");
      var input = el("input");
      input.type = "checkbox";
      input.value = value;
      input.setAttribute("data-filter", key);
      chip.appendChild(input);
      chip.appendChild(swatch(value));
      chip.appendChild(el("span", "name", key === "type" ? human(value) : value));
      chip.appendChild(el("span", "n", counts[value]));
      input.addEventListener("change", function () {
        var on = [];
        box.querySelectorAll("input").forEach(function (i) { if (i.checked) on.push(i.value); });
        state[key] = on.length === values.length ? null : on;
        state.cluster = null;
        render();
      });
      box.appendChild(chip);
    });
  }
  function syncFilters() {
    document.querySelectorAll("input[data-filter]").forEach(function (input) {
      input.checked = allowed(input.getAttribute("data-filter"), input.value);
      input.parentNode.classList.toggle("off", !input.checked);
    });
  }

  // --- layout: each lane's events become points, bars and clusters, packed into rows ---------
  function width() { return Math.max(200, chart.clientWidth - labelWidth()); }
  function labelWidth() { return parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--label")) || 128; }
  function layout(list, W) {
    var scale = W / (state.v1 - state.v0), v0 = state.v0;
    var x = function (day) { return (day - v0) * scale; };
    var bars = {}, items = [];
    list.forEach(function (ev) {
      if (ev.b <= state.v0 || ev.a >= state.v1) return;
      if (ev.p === "day" || ev.b - ev.a <= 1) {
        var c = x(ev.a + 0.5);
        items.push({ point: true, x0: c - R, x1: c + R, evs: [ev] });
      } else {  // one bar for every event of the same period: they would draw on top of each other
        var k = ev.a + ":" + ev.b;
        if (!bars[k]) { bars[k] = { point: false, x0: x(ev.a), x1: Math.max(x(ev.b), x(ev.a) + 4), evs: [] }; items.push(bars[k]); }
        bars[k].evs.push(ev);
      }
    });
    items.forEach(function (it) { if (it.evs.length > 1) widen(it); });
    items.sort(function (p, q) { return p.x0 - q.x0 || q.x1 - p.x1; });
    return pack(items);
  }
  // Rows are filled left to right; a single event gets a label beside it, which a later event
  // that finds no free row takes back, so labels never cost a cluster.
  function pack(items) {
    var ends = [], last = [], placed = [], over = {};
    items.forEach(function (base) {
      var it = { point: base.point, x0: base.x0, x1: base.x1, evs: base.evs, row: 0, label: null };
      var r = 0;
      while (r < ends.length && ends[r] + 4 > it.x0) r++;
      if (r === ends.length && r >= MAX_ROWS) {
        for (r = 0; r < ends.length; r++) {
          var prev = last[r];
          if (prev.label && !prev.inside && prev.x1 + 4 <= it.x0) { prev.label = null; break; }
        }
      }
      if (r < ends.length || ends.length < MAX_ROWS) {
        it.row = r;
        it.label = it.evs.length === 1 ? labelOf(it.evs[0]) : null;
        it.inside = it.label !== null && !it.point && it.x1 - it.x0 >= textWidth(it.label) + 12;
        ends[r] = it.label && !it.inside ? it.x1 + 5 + textWidth(it.label) : it.x1;
        last[r] = it;
        placed.push(it);
        return;
      }
      // every row is taken at this date: the event joins the "+N" count of its stretch of axis
      var bucket = Math.floor((it.x0 + it.x1) / 2 / BUCKET);
      (over[bucket] = over[bucket] || []).push(it);
    });
    var buckets = Object.keys(over);
    buckets.forEach(function (bucket) {
      var evs = [];
      over[bucket].forEach(function (it) { evs = evs.concat(it.evs); });
      var mid = (+bucket + 0.5) * BUCKET;
      placed.push({ point: false, x0: mid - 13, x1: mid + 13, evs: evs, row: ends.length, label: null, more: true });
    });
    return { items: placed, rows: Math.max(1, ends.length + (buckets.length ? 1 : 0)) };
  }
  function widen(it) {  // a cluster is big enough to hold its count
    var mid = (it.x0 + it.x1) / 2;
    if (it.point) { it.x0 = mid - 10; it.x1 = mid + 10; } else if (it.x1 - it.x0 < 22) { it.x0 = mid - 11; it.x1 = mid + 11; }
  }
  var measure = document.createElement("canvas").getContext("2d"), widths = {};
  measure.font = "11.5px " + getComputedStyle(document.body).fontFamily;
  function textWidth(text) {
    if (!(text in widths)) widths[text] = measure.measureText(text).width + 2;
    return widths[text];
  }
  function labelOf(ev) {
    var what = ev.party || (ev.subject ? human(ev.subject) : null) || ev.actor;
    var text = human(ev.t) + (what ? " · " + what : "");
    return text.length > 38 ? text.slice(0, 37) + "…" : text;
  }

  function draw(it, lane, L, top0) {
    var evs = it.evs, first = evs[0], many = evs.length > 1;
    var node = el("div", "ev " + (it.point ? "pt" : "bar"));
    var same = evs.every(function (ev) { return ev.t === first.t; });
    paint(node, first.t);
    if (it.more) {
      node.classList.add("cl", "more");
      node.textContent = "+" + (evs.length > 999 ? "999" : evs.length);
    } else if (many) {
      node.classList.add("cl");
      if (!same) node.classList.add("mixed");
      node.textContent = evs.length > 999 ? "999+" : String(evs.length);
    } else {
      node.classList.add(first.s);
    }
    var h = it.point ? (many ? 20 : 13) : (it.more ? 17 : many ? 18 : 13), top = top0 + it.row * ROW + (ROW - h) / 2;
    node.style.left = (L + it.x0) + "px";
    node.style.top = top + "px";
    if (!it.point) node.style.width = Math.max(4, it.x1 - it.x0) + "px";
    node.setAttribute("data-ids", evs.map(function (ev) { return ev.id; }).join(" "));
    node.setAttribute("data-k", String(drawn.length));
    if (state.selected !== null && evs.some(function (ev) { return ev.id === state.selected; })) node.classList.add("sel");
    if (state.cluster && state.cluster === key(evs)) node.classList.add("sel");
    lane.appendChild(node);
    if (it.label && (it.inside || it.x1 + 5 + textWidth(it.label) <= width())) {
      var tag = el("div", it.inside ? "lbl in " + first.s : "lbl", it.label);
      tag.style.left = (L + (it.inside ? Math.max(it.x0, 0) + 7 : it.x1 + 5)) + "px";
      tag.style.top = (top0 + it.row * ROW + ROW / 2 - 8) + "px";
      tag.setAttribute("data-k", String(drawn.length));
      lane.appendChild(tag);
    }
    drawn.push(it);
  }
  function key(evs) { return evs.map(function (ev) { return ev.id; }).join(" "); }

  // --- the axis: years always, months when there is room, and today ----------------------------
  function drawAxis(W, L) {
    axis.textContent = "";
    var scale = W / (state.v1 - state.v0), v0 = state.v0;
    var x = function (day) { return L + (day - v0) * scale; };
    var pxYear = 365.25 * scale, step = pxYear >= 46 ? 1 : pxYear >= 20 ? 2 : pxYear >= 9 ? 5 : 10;
    var monthStep = pxYear >= 12 * 34 ? 1 : pxYear >= 4 * 34 ? 3 : 0;
    var grid = document.createDocumentFragment();
    for (var y = yearOf(state.v0); y <= yearOf(state.v1); y++) {
      if (monthStep) {
        for (var m = monthStep; m < 12; m += monthStep) {
          var dx = x(dayOf(y, m));
          if (dx < L || dx > L + W) continue;
          var mt = el("div", "tick month");
          mt.style.left = dx + "px";
          mt.appendChild(el("span", "", MONTHS.substr(m * 3, 3)));
          axis.appendChild(mt);
          var g = el("div", "grid month");
          g.style.left = dx + "px";
          grid.appendChild(g);
        }
      }
      var yx = x(dayOf(y, 0));
      if (yx > L + W) continue;
      var tick = el("div", "tick year");
      if (yx >= L) {
        tick.style.left = yx + "px";
        if (y % step === 0 && yx + 38 <= L + W) tick.appendChild(el("span", "", y));
        axis.appendChild(tick);
        var line = el("div", "grid");
        line.style.left = yx + "px";
        grid.appendChild(line);
      } else if (monthStep && x(dayOf(y + 1, 0)) > L + 50) {
        tick.style.left = L + "px";  // the year the view starts in, named at the left edge
        tick.style.borderLeft = "0";
        tick.appendChild(el("span", "", y));
        axis.appendChild(tick);
      }
    }
    if (meta.today >= state.v0 && meta.today <= state.v1) {
      var tx = x(meta.today + 0.5), mark = el("div", "today", "today");
      mark.style.left = tx + "px";
      var sinceYear = tx - x(dayOf(yearOf(meta.today), 0));
      mark.classList.add(sinceYear > 60 ? "left" : "right");
      axis.appendChild(mark);
      var today = el("div", "grid today");
      today.style.left = tx + "px";
      grid.appendChild(today);
    }
    var blank = el("div", "");
    blank.style.cssText = "position:absolute;left:0;top:0;width:" + L + "px;height:100%;background:#fafbfc;" +
      "border-right:1px solid #dde3ea";
    axis.appendChild(blank);
    return grid;
  }

  function render() {
    syncFilters();
    var shown = shownEvents(), W = width(), L = labelWidth();
    lanesEl.textContent = "";
    drawn = [];
    var empty = $("empty");
    empty.hidden = true;
    if (!events.length || !placedEvents.length) {
      empty.hidden = false;
      empty.textContent = "";
      empty.appendChild(el("p", "", events.length ? "No event on the timeline has a date or a publication date."
        : "The timeline is empty."));
      var p = el("p", "");
      p.appendChild(document.createTextNode("Run "));
      p.appendChild(el("code", "", "tracker run --once"));
      p.appendChild(document.createTextNode(" to poll the sources, then write this page again."));
      if (!events.length) empty.appendChild(p);
      axis.textContent = "";
      $("count").textContent = "0 events";
      $("count").setAttribute("data-shown", "0");
      document.body.setAttribute("data-ready", "1");
      return;
    }
    var grid = drawAxis(W, L);
    lanesEl.appendChild(grid);
    var visible = 0;
    var laid = [];
    places.forEach(function (code) {
      if (!allowed("jurisdiction", code)) return;
      var list = shown.filter(function (ev) { return ev.j === code; });
      if (list.length) laid.push({ code: code, list: list, out: layout(list, W) });
    });
    var natural = laid.map(function (l) { return Math.max(MIN_LANE, l.out.rows * ROW + 2 * PAD); });
    var room = chart.clientHeight - axis.offsetHeight - natural.reduce(function (a, b) { return a + b; }, 0);
    var extra = laid.length && room > 0 ? Math.min(MAX_EXTRA, room / laid.length) : 0;  // sparse lanes fill the panel
    laid.forEach(function (l, i) {
      var lane = el("div", "lane"), height = Math.floor(natural[i] + extra), out = l.out;
      lane.style.height = height + "px";
      var label = el("div", "lane-label");
      label.appendChild(el("b", "", l.code));
      if (meta.names[l.code]) label.appendChild(el("small", "", meta.names[l.code]));
      label.appendChild(el("small", "", l.list.length + (l.list.length === 1 ? " event" : " events")));
      lane.appendChild(label);
      out.items.forEach(function (it) { visible += it.evs.length; draw(it, lane, L, (height - out.rows * ROW) / 2); });
      lanesEl.appendChild(lane);
    });
    if (!shown.length) {
      empty.hidden = false;
      empty.textContent = "No events match these filters.";
    }
    var text = "Showing " + visible + " of " + events.length + " events";
    if (visible < shown.length) text += " (" + (shown.length - visible) + " outside this view)";
    if (placedEvents.length < events.length) text += "; " + (events.length - placedEvents.length) + " without any date";
    $("count").textContent = text;
    $("count").setAttribute("data-shown", String(visible));
    $("range").textContent = isoDay(Math.round(state.v0)) + " – " + isoDay(Math.round(state.v1) - 1);
    if (state.showSelected) { state.showSelected = false; showEvent(byId[state.selected]); }
    writeHash();
    document.body.setAttribute("data-ready", "1");
  }

  // --- the detail panel ------------------------------------------------------------------------
  var byId = {};
  events.forEach(function (ev) { byId[ev.id] = ev; });
  function fact(dl, name, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(el("dt", "", name));
    dl.appendChild(el("dd", "", value));
  }
  function showEvent(ev, back) {
    detail.textContent = "";
    if (!ev) {
      detail.appendChild(el("p", "hint", "Click an event to see its evidence and sources."));
      return;
    }
    if (back) {
      var again = el("button", "link", "← back to the " + back.length + " events");
      again.type = "button";
      again.addEventListener("click", function () { showCluster(back); });
      detail.appendChild(again);
    }
    var badges = el("div", "badges");
    var type = el("span", "badge type", human(ev.t));
    paint(type, ev.t);
    badges.appendChild(type);
    badges.appendChild(el("span", "badge", ev.s));
    badges.appendChild(el("span", "badge", ev.j + (meta.names[ev.j] ? " · " + meta.names[ev.j] : "")));
    detail.appendChild(badges);
    detail.appendChild(el("p", "when", dateLabel(ev)));
    detail.appendChild(el("p", "meta", ev.d ? "precision: " + ev.p : "placed at its first publication date"));
    var quote = el("blockquote", "", ev.e);
    paint(quote, ev.t);
    detail.appendChild(quote);
    var dl = el("dl", "facts");
    fact(dl, "party", ev.party);
    fact(dl, "subject", ev.subject ? human(ev.subject) : null);
    fact(dl, "actor", ev.actor);
    fact(dl, "change", ev.ch);
    fact(dl, "confidence", ev.c);
    fact(dl, "event", "#" + ev.id);
    detail.appendChild(dl);
    var docs = ev.m || ev.u.length, srcs = ev.n || 0;  // an English and a Chinese notice of one source: 2 documents, 1 source
    detail.appendChild(el("h2", "", docs + (docs === 1 ? " document" : " documents") +
      (srcs ? " (" + srcs + (srcs === 1 ? " source)" : " sources)") : "")));
    var list = el("ul", "sources");
    ev.u.forEach(function (url) {
      var li = el("li");
      if (safeUrl(url)) {
        var a = el("a", "", url);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
      } else {
        li.textContent = url;
      }
      list.appendChild(li);
    });
    detail.appendChild(list);
  }
  function showCluster(evs) {
    detail.textContent = "";
    var sorted = evs.slice().sort(function (p, q) { return p.a - q.a || p.id - q.id; });
    detail.appendChild(el("h2", "", evs.length + " events overlap here"));
    var zoom = el("button", "link", "Zoom to these");
    zoom.type = "button";
    zoom.addEventListener("click", function () {
      var a = Infinity, b = -Infinity;
      evs.forEach(function (ev) { a = Math.min(a, ev.a); b = Math.max(b, ev.b); });
      var pad = Math.max(10, (b - a) * 0.15);
      setView(a - pad, b + pad);
    });
    detail.appendChild(zoom);
    var list = el("ul", "list");
    sorted.slice(0, 300).forEach(function (ev) {
      var li = el("li");
      var sw = el("span", "sw " + ev.s);
      paint(sw, ev.t);
      li.appendChild(sw);
      li.appendChild(el("span", "d", dateLabel(ev)));
      li.appendChild(document.createTextNode(ev.j + " · " + human(ev.t) + " — " +
        (ev.e.length > 120 ? ev.e.slice(0, 119) + "…" : ev.e)));
      li.addEventListener("click", function () { select(ev.id, null); showEvent(ev, evs); });
      list.appendChild(li);
    });
    detail.appendChild(list);
    if (sorted.length > 300) detail.appendChild(el("p", "meta", "…and " + (sorted.length - 300) + " more: zoom in."));
  }
  function select(id, clusterKey) {
    state.selected = id;
    state.cluster = clusterKey;
    chart.querySelectorAll(".ev.sel").forEach(function (n) { n.classList.remove("sel"); });
    chart.querySelectorAll(".ev").forEach(function (n) {
      var ids = n.getAttribute("data-ids");
      if (clusterKey ? ids === clusterKey : (" " + ids + " ").indexOf(" " + id + " ") >= 0) n.classList.add("sel");
    });
    writeHash();
  }

  // --- zoom and pan ------------------------------------------------------------------------------
  var frame = 0;
  function setView(a, b) {
    var span = Math.max(MIN_SPAN, b - a), mid = (a + b) / 2, full = Math.max(MIN_SPAN, hi - lo);
    span = Math.min(span, full * 4 + 3650);
    state.v0 = mid - span / 2;
    state.v1 = mid + span / 2;
    if (frame) return;
    // the next frame, or a timer where frames are not drawn (a background tab, a headless run)
    var run = function () { if (!frame) return; cancelAnimationFrame(frame.raf); clearTimeout(frame.timer); frame = 0; render(); };
    frame = { raf: requestAnimationFrame(run), timer: setTimeout(run, 60) };
  }
  function fit(quiet) {
    var list = quiet ? placedEvents : shownEvents();
    var a = Infinity, b = -Infinity;
    list.forEach(function (ev) { a = Math.min(a, ev.a); b = Math.max(b, ev.b); });
    if (a === Infinity) { a = meta.today - 365; b = meta.today + 1; }
    var pad = Math.max(20, (b - a) * 0.03);
    a -= pad; b += pad;
    if (b - a < MIN_SPAN) { a -= (MIN_SPAN - (b - a)) / 2; b = a + MIN_SPAN; }
    if (quiet) { state.v0 = a; state.v1 = b; } else setView(a, b);
  }
  function zoomAt(factor, px) {
    var span = state.v1 - state.v0, at = state.v0 + span * px;
    setView(at - (at - state.v0) * factor, at + (state.v1 - at) * factor);
  }
  $("zoom-in").addEventListener("click", function () { zoomAt(1 / 1.6, 0.5); });
  $("zoom-out").addEventListener("click", function () { zoomAt(1.6, 0.5); });
  $("zoom-fit").addEventListener("click", function () { fit(false); });
  chart.addEventListener("wheel", function (e) {
    e.preventDefault();
    var L = labelWidth(), px = Math.min(1, Math.max(0, (e.clientX - chart.getBoundingClientRect().left - L) / width()));
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      var shift = (e.deltaX || e.deltaY) / width() * (state.v1 - state.v0);
      setView(state.v0 + shift, state.v1 + shift);
    } else {
      zoomAt(Math.exp(e.deltaY * 0.0015), px);
    }
  }, { passive: false });
  var drag = null;
  chart.addEventListener("pointerdown", function (e) {
    if (e.button !== 0 || e.target.closest(".ev, .lbl")) return;
    drag = { x: e.clientX, v0: state.v0, v1: state.v1, moved: false };
    chart.setPointerCapture(e.pointerId);
  });
  chart.addEventListener("pointermove", function (e) {
    if (drag) {
      var dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) { drag.moved = true; chart.classList.add("dragging"); }
      var shift = -dx / width() * (drag.v1 - drag.v0);
      setView(drag.v0 + shift, drag.v1 + shift);
      return;
    }
    var node = e.target.closest(".ev, .lbl");
    if (!node) { tip.hidden = true; return; }
    var it = drawn[+node.getAttribute("data-k")];
    if (!it) return;
    tip.textContent = "";
    if (it.evs.length > 1) {
      tip.appendChild(el("b", "", it.evs.length + " events"));
      tip.appendChild(document.createTextNode(" — click to list them, or zoom in"));
    } else {
      var ev = it.evs[0];
      tip.appendChild(el("b", "", dateLabel(ev) + " · " + ev.j + " · " + human(ev.t) + (ev.s !== "done" ? " · " + ev.s : "")));
      tip.appendChild(el("br"));
      tip.appendChild(document.createTextNode(ev.e.length > 220 ? ev.e.slice(0, 219) + "…" : ev.e));
    }
    tip.hidden = false;
    var left = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var top = e.clientY + 16 + tip.offsetHeight > window.innerHeight ? e.clientY - tip.offsetHeight - 10 : e.clientY + 16;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  });
  chart.addEventListener("pointerleave", function () { tip.hidden = true; });
  chart.addEventListener("pointerup", function () { drag = null; chart.classList.remove("dragging"); });
  chart.addEventListener("click", function (e) {
    var node = e.target.closest(".ev, .lbl");
    if (!node) return;
    var it = drawn[+node.getAttribute("data-k")];
    if (!it) return;
    if (it.evs.length > 1) { select(null, key(it.evs)); showCluster(it.evs); } else { select(it.evs[0].id, null); showEvent(it.evs[0]); }
  });
  chart.addEventListener("dblclick", function (e) {
    if (e.target.closest(".ev")) return;
    var px = (e.clientX - chart.getBoundingClientRect().left - labelWidth()) / width();
    zoomAt(1 / 2, Math.min(1, Math.max(0, px)));
  });
  document.addEventListener("keydown", function (e) {
    if (e.target.closest && e.target.closest("input, button")) return;
    var span = state.v1 - state.v0;
    if (e.key === "+" || e.key === "=") zoomAt(1 / 1.6, 0.5);
    else if (e.key === "-") zoomAt(1.6, 0.5);
    else if (e.key === "0") fit(false);
    else if (e.key === "ArrowLeft") setView(state.v0 - span * 0.2, state.v1 - span * 0.2);
    else if (e.key === "ArrowRight") setView(state.v0 + span * 0.2, state.v1 + span * 0.2);
  });
  window.addEventListener("resize", function () { setView(state.v0, state.v1); });
  window.addEventListener("hashchange", function () { readHash(); render(); });

  // --- start -----------------------------------------------------------------------------------
  if (events.length) {
    var first = events.length ? isoDay(lo) : "", last = isoDay(hi - 1);
    $("summary").textContent = events.length + (events.length === 1 ? " event" : " events") + " in " +
      places.length + (places.length === 1 ? " jurisdiction" : " jurisdictions") +
      (placedEvents.length ? ", " + first.slice(0, 4) + "–" + last.slice(0, 4) : "") + " · generated " + meta.generated;
    filterGroup("type", types, typeCounts, function (t) { var s = el("span", "sw"); paint(s, t); return s; });
    filterGroup("jurisdiction", places, placeCounts, function () { return el("span", "sw code", ""); });
    filterGroup("status", statuses, statusCounts, function (s) { var sw = el("span", "sw " + s); paint(sw, "other"); return sw; });
  } else {
    document.body.classList.add("nothing");
    $("summary").textContent = "no events yet · generated " + meta.generated;
  }
  readHash();
  render();
  document.body.setAttribute("data-render-ms", (performance.now() - started).toFixed(1));
}());
