/* paperkg map: sigma.js view, search, and a details panel. Text is only ever set with
   textContent (never as markup), and links go only to http(s) URLs. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("paperkg-data").textContent);
  var nodes = data.nodes;
  var byId = new Map();
  nodes.forEach(function (n, i) { n.index = i; n.neighbors = []; byId.set(n.id, n); });
  data.edges.forEach(function (e) {
    nodes[e[0]].neighbors.push(e[1]);
    nodes[e[1]].neighbors.push(e[0]);
  });
  var colors = {}, typeLabels = {};
  data.types.forEach(function (t) { colors[t[0]] = t[1]; typeLabels[t[0]] = t[2]; });
  var FADED = "#e4e4e4";
  var state = { selected: null, lit: null };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function dot(type) {
    var d = el("span", null, "dot");
    d.style.background = colors[type] || "#000";
    return d;
  }
  function short(text, n) { return text.length > n ? text.slice(0, n - 1) + "\u2026" : text; }

  document.getElementById("map-title").textContent = data.title;
  document.title = data.title;
  var counts = {};
  nodes.forEach(function (n) { counts[n.type] = (counts[n.type] || 0) + 1; });
  document.getElementById("summary").textContent =
    (counts.paper || 0) + " papers, " + (nodes.length - (counts.paper || 0)) + " concepts, " +
    data.edges.length + " links";
  var legend = document.getElementById("legend");
  data.types.forEach(function (t) {
    var li = el("li");
    li.appendChild(dot(t[0]));
    li.appendChild(document.createTextNode(t[2] + " (" + (counts[t[0]] || 0) + ")"));
    legend.appendChild(li);
  });

  /* ---- graph view (optional: the panel works without WebGL) ---- */
  var graph = new graphology.Graph({ type: "undirected", multi: false });
  nodes.forEach(function (n) {
    graph.addNode(n.id, {
      x: n.x, y: -n.y, size: n.size, color: colors[n.type] || "#000",
      label: n.type === "paper" ? short(n.label, 48) : n.label, nodeType: n.type
    });
  });
  data.edges.forEach(function (e) {
    var s = nodes[e[0]].id, t = nodes[e[1]].id;
    if (!graph.hasEdge(s, t)) graph.addEdge(s, t, { size: 0.6, color: "#cfcfcf" });
  });
  var renderer = null;
  try {
    renderer = new Sigma(graph, document.getElementById("graph"), {
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.6,
      zIndex: true,
      nodeReducer: function (node, attrs) {
        if (state.lit === null) return attrs;
        var out = Object.assign({}, attrs);
        if (node === state.selected) {
          out.highlighted = true; out.zIndex = 2; out.forceLabel = true;
        } else if (state.lit.has(node)) {
          out.zIndex = 1; out.forceLabel = state.lit.size <= 16;
        } else {
          out.color = FADED; out.label = ""; out.zIndex = 0;
        }
        return out;
      },
      edgeReducer: function (edge, attrs) {
        if (state.lit === null) return attrs;
        var ends = graph.extremities(edge);
        if (ends[0] === state.selected || ends[1] === state.selected) {
          return Object.assign({}, attrs, { color: data.highlight, size: 1.2 });
        }
        return Object.assign({}, attrs, { hidden: true });
      }
    });
    renderer.on("clickNode", function (ev) { select(ev.node, false); });
    renderer.on("clickStage", function () { select(null, false); });
    document.getElementById("notice").textContent = "";
  } catch (err) {
    renderer = null;
    document.getElementById("notice").textContent =
      "The graph view needs WebGL (" + err.message + "); search and the lists still work.";
  }

  /* ---- details panel ---- */
  function itemList(title, items) {
    var section = el("section");
    section.appendChild(el("h3", title + " (" + items.length + ")"));
    var ul = el("ul", null, "items");
    items.forEach(function (it) {
      var li = el("li"), b = el("button");
      b.type = "button";
      b.dataset.node = it.node.id;
      b.appendChild(dot(it.node.type));
      b.appendChild(el("span", it.node.label));
      if (it.note) b.appendChild(el("span", it.note, "muted"));
      b.addEventListener("click", function () { select(it.node.id, true); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    section.appendChild(ul);
    return section;
  }

  function showDetails(n) {
    var box = document.getElementById("details");
    box.replaceChildren();
    if (!n) return;
    var h = el("h2");
    h.appendChild(dot(n.type));
    h.appendChild(el("span", n.label));
    h.id = "details-title";
    box.appendChild(h);
    if (n.type === "paper") {
      var meta = el("p", null, "meta");
      if (n.date) meta.appendChild(el("span", n.date + " "));
      if (/^https?:\/\//i.test(n.url || "")) {
        var a = el("a", "link");
        a.href = n.url; a.rel = "noopener noreferrer"; a.target = "_blank";
        meta.appendChild(a);
      }
      box.appendChild(meta);
      if (n.abstract) box.appendChild(el("p", n.abstract, "abstract"));
      var concepts = n.neighbors.map(function (i) { return { node: nodes[i] }; });
      concepts.sort(function (a, b) {
        return (a.node.type + a.node.label).localeCompare(b.node.type + b.node.label);
      });
      var cl = itemList("Concepts", concepts);
      cl.id = "concepts";
      box.appendChild(cl);
      var related = (n.related || []).map(function (r) {
        return { node: nodes[r[0]], note: "score " + r[1] + " \u00b7 " + r[2].join(", ") };
      });
      var rel = itemList("Related papers", related);
      rel.id = "related";
      box.appendChild(rel);
    } else {
      box.appendChild(el("p", (typeLabels[n.type] || n.type) + " \u00b7 " +
        n.count + " paper" + (n.count === 1 ? "" : "s"), "meta"));
      if (n.aliases && n.aliases.length) {
        box.appendChild(el("p", "Also written: " + n.aliases.join(", "), "meta"));
      }
      var papers = n.neighbors.map(function (i) { return { node: nodes[i], note: nodes[i].date } });
      papers.sort(function (a, b) { return a.node.label.localeCompare(b.node.label); });
      var pl = itemList("Papers", papers);
      pl.id = "papers";
      box.appendChild(pl);
    }
  }

  function select(id, moveCamera) {
    var n = id === null ? null : byId.get(id);
    state.selected = n ? n.id : null;
    if (n) {
      var lit = new Set([n.id]);
      n.neighbors.forEach(function (i) { lit.add(nodes[i].id); });
      (n.related || []).forEach(function (r) { lit.add(nodes[r[0]].id); });
      state.lit = lit;
    } else {
      state.lit = null;
    }
    showDetails(n);
    if (renderer) {
      renderer.refresh();
      if (n && moveCamera) {
        var pos = renderer.getNodeDisplayData(n.id);
        if (pos) renderer.getCamera().animate({ x: pos.x, y: pos.y, ratio: 0.35 }, { duration: 300 });
      }
    }
    window.paperkgMap.selected = state.selected;
  }

  /* ---- search ---- */
  var search = document.getElementById("search");
  var results = document.getElementById("results");
  var haystack = nodes.map(function (n) {
    return [n.label].concat(n.aliases || []).join("\n").toLowerCase();
  });
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    results.replaceChildren();
    if (!q) return;
    var hits = [];
    nodes.forEach(function (n, i) {
      var at = haystack[i].indexOf(q);
      if (at >= 0) hits.push({ node: n, rank: at === 0 ? 0 : 1 });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || b.node.count - a.node.count || a.node.label.localeCompare(b.node.label);
    });
    var shown = hits.slice(0, 30).map(function (h) {
      return { node: h.node, note: typeLabels[h.node.type] || h.node.type };
    });
    var list = itemList(hits.length > 30 ? "Matches (first 30)" : "Matches", shown);
    Array.prototype.slice.call(list.childNodes).forEach(function (c) { results.appendChild(c); });
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var first = results.querySelector("button");
      if (first) first.click();
    }
  });

  window.paperkgMap = { graph: graph, renderer: renderer, select: select, selected: null,
                        webgl: renderer !== null, ready: true };
})();
