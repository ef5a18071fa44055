/* calcdocs interactive figures: labelled range sliders that switch between precomputed
 * pictures, drawn as SVG. No library, no network: the data are embedded in the page as JSON
 * by docs/_ext/calcdocs_interactive.py (computed with calcdocs at build time).
 *
 * A figure's JSON: {sliders: [{name, label, values, labels, initial}], panels: [{title,
 * xlabel, ylabel, xlim, ylim, xlog, ylog, layers: [{cls, lines | series, marker}]}],
 * readouts: [string per slider combination]}. A layer's `lines` are drawn once; its
 * `series` hold one polyline per combination of slider positions (row-major, the last
 * slider fastest); `marker` draws a dot at the polyline's last point.
 */
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const W = 320, H = 260, M = { left: 52, right: 10, top: 24, bottom: 40 };

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function scale(lim, log, lo, hi) {
    const f = log ? Math.log10 : (v) => v;
    const a = f(lim[0]), b = f(lim[1]);
    return (v) => lo + ((f(v) - a) / (b - a)) * (hi - lo);
  }

  function ticks(lim, log) {
    if (log) {
      const out = [];
      const a = Math.ceil(Math.log10(lim[0])), b = Math.floor(Math.log10(lim[1]));
      const step = Math.max(1, Math.ceil((b - a + 1) / 6));
      for (let e = a; e <= b; e += step) out.push(Math.pow(10, e));
      return out;
    }
    const span = lim[1] - lim[0];
    const raw = span / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(lim[0] / step) * step; v <= lim[1] + 1e-12 * span; v += step) {
      out.push(Math.abs(v) < 1e-12 * span ? 0 : v);
    }
    return out;
  }

  function fmt(v, log) {
    if (log) return "1e" + Math.round(Math.log10(v));
    return String(Number(v.toPrecision(3)));
  }

  function pointsAttr(line, sx, sy) {
    // a polyline stops at its first missing (non-finite) point
    const out = [];
    for (const p of line) {
      if (p === null || p[0] === null || p[1] === null) break;
      out.push(sx(p[0]).toFixed(2) + "," + sy(p[1]).toFixed(2));
    }
    return out.join(" ");
  }

  function panel(spec, parent, uid, k) {
    const svg = el("svg", {
      viewBox: `0 0 ${W} ${H}`, class: "cd-ia-panel", role: "img",
      "aria-label": spec.title,
    }, parent);
    const x0 = M.left, x1 = W - M.right, y0 = H - M.bottom, y1 = M.top;
    const sx = scale(spec.xlim, spec.xlog, x0, x1), sy = scale(spec.ylim, spec.ylog, y0, y1);
    const clip = `${uid}-clip-${k}`;
    el("rect", { x: x0, y: y1, width: x1 - x0, height: y0 - y1 },
       el("clipPath", { id: clip }, el("defs", {}, svg)));
    el("rect", { x: x0, y: y1, width: x1 - x0, height: y0 - y1, class: "cd-ia-frame" }, svg);
    for (const t of ticks(spec.xlim, spec.xlog)) {
      el("line", { x1: sx(t), x2: sx(t), y1: y0, y2: y0 + 4, class: "cd-ia-axis" }, svg);
      el("text", { x: sx(t), y: y0 + 15, class: "cd-ia-tick", "text-anchor": "middle" }, svg)
        .textContent = fmt(t, spec.xlog);
    }
    for (const t of ticks(spec.ylim, spec.ylog)) {
      el("line", { x1: x0 - 4, x2: x0, y1: sy(t), y2: sy(t), class: "cd-ia-axis" }, svg);
      el("text", { x: x0 - 6, y: sy(t) + 3, class: "cd-ia-tick", "text-anchor": "end" }, svg)
        .textContent = fmt(t, spec.ylog);
    }
    el("text", { x: (x0 + x1) / 2, y: H - 6, class: "cd-ia-label", "text-anchor": "middle" },
       svg).textContent = spec.xlabel || "";
    el("text", {
      x: 12, y: (y0 + y1) / 2, class: "cd-ia-label", "text-anchor": "middle",
      transform: `rotate(-90 12 ${(y0 + y1) / 2})`,
    }, svg).textContent = spec.ylabel || "";
    el("text", { x: (x0 + x1) / 2, y: 15, class: "cd-ia-title", "text-anchor": "middle" }, svg)
      .textContent = spec.title || "";
    const body = el("g", { "clip-path": `url(#${clip})` }, svg);
    const dynamic = [];
    for (const layer of spec.layers) {
      for (const line of layer.lines || []) {
        el("polyline", { points: pointsAttr(line, sx, sy), class: layer.cls }, body);
      }
      if (layer.series) {
        const poly = el("polyline", { class: layer.cls, "data-layer": layer.name || "" }, body);
        const dot = layer.marker ? el("circle", { r: 4, class: layer.cls + " cd-ia-dot" }, body)
          : null;
        dynamic.push({ layer, poly, dot });
      }
    }
    return (index) => {
      for (const { layer, poly, dot } of dynamic) {
        const line = layer.series[index];
        const attr = pointsAttr(line, sx, sy);
        poly.setAttribute("points", attr);
        if (dot) {
          const last = attr.split(" ").pop().split(",");
          dot.setAttribute("cx", last[0] || -100);
          dot.setAttribute("cy", last[1] || -100);
        }
      }
    };
  }

  function init(root) {
    const spec = JSON.parse(root.querySelector("script.cd-ia-data").textContent);
    const uid = root.id;
    const inputs = Array.from(root.querySelectorAll("input.cd-ia-slider"));
    const outputs = Array.from(root.querySelectorAll("output.cd-ia-value"));
    const readout = root.querySelector(".cd-ia-readout");
    const host = root.querySelector(".cd-ia-panels");
    const updaters = spec.panels.map((p, k) => panel(p, host, uid, k));
    function update() {
      let index = 0;
      inputs.forEach((input, s) => {
        const i = Number(input.value);
        index = index * spec.sliders[s].values.length + i;
        outputs[s].textContent = spec.sliders[s].labels[i];
        input.setAttribute("aria-valuetext", spec.sliders[s].labels[i]);
      });
      updaters.forEach((u) => u(index));
      if (readout) readout.textContent = spec.readouts[index];
      root.dataset.index = index;
    }
    inputs.forEach((input) => input.addEventListener("input", update));
    update();
    root.classList.add("cd-ia-ready");
  }

  function start() {
    document.querySelectorAll(".cd-ia").forEach(init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
