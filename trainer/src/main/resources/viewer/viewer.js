// Spotlight viewer: per-head CAM overlays of a run's probe images over its snapshots, side by side
// for a comparison, with the metrics and curves; live while the runs train (server-sent events).
// Everything is drawn here from the raw maps (snapshots/*.maps.json); runs without them show their PNGs.
"use strict";

const SCALE = 4;              // screen pixels per image pixel
const DEFAULT_OPACITY = 0.4;  // the PNG grids' alpha
const PLAY_MS = 700;
const COMBINED = "combined";
const COMBINE_METHODS = ["mean", "max", "confidence"];
const CURVES = {
  accuracy: { title: "accuracy (%)", match: k => /(^|\/)accuracy\//.test(k) },
  penalty: { title: "penalty", match: k => k.startsWith("penalty/") },
  cam_outside_share: { title: "cam_outside_share", match: k => k.includes("cam_outside_share/") },
};
const PALETTE = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#475569"];

const state = {
  view: null,          // /api/view
  runs: new Map(),     // name -> {status, snapshots: [...], metrics: [...]}
  steps: [],           // union of every run's snapshot steps
  heads: [],           // head names over all runs' raw maps
  controls: {},        // head (or "combined") -> {on, opacity, colormap, mode}
  combine: "mean",
  colormaps: {},
  decoded: new Map(),  // maps URL -> Promise of decoded snapshot
  charts: {},
  playing: null,
};

const $ = sel => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-") || k === "title" || k === "for") e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c);
  return e;
};

async function getJson(url) {
  const r = await fetch(url, { cache: "no-store" });
  if (!r.ok) throw new Error(url + ": " + r.status + " " + (await r.text()));
  return r.json();
}

function say(text) {
  const m = $("#message");
  m.hidden = !text;
  m.textContent = text || "";
}

// ---- data ----------------------------------------------------------------------------------

async function loadView() {
  state.view = await getJson("/api/view");
  $("#title").textContent = state.view.title + " · " + state.view.kind;
  document.title = "Spotlight · " + state.view.title;
}

async function loadRun(name) {
  const enc = encodeURIComponent(name);
  const [snaps, metrics] = await Promise.all([
    getJson(`/api/runs/${enc}/snapshots`), getJson(`/api/runs/${enc}/metrics`)]);
  state.runs.set(name, { status: snaps.status, snapshots: snaps.snapshots, metrics });
}

function decode(url) {
  if (!state.decoded.has(url)) {
    state.decoded.set(url, getJson(url).then(decodeMaps).catch(e => { state.decoded.delete(url); throw e; }));
  }
  return state.decoded.get(url);
}

async function decodeMaps(json) {
  const h = json.map_height, w = json.map_width;
  const samples = await Promise.all(json.samples.map(async s => {
    const input = await pixelsOf("data:image/png;base64," + s.input_png);
    const heads = {};
    for (const [name, m] of Object.entries(s.heads)) {
      const bytes = Uint8Array.from(atob(m.map_u8), c => c.charCodeAt(0));
      // u8 / 255 is the map over its own maximum: the per-head normalisation of the PNG grids
      const norm = Float32Array.from(bytes, b => b / 255);
      heads[name] = { cls: m.class, p: m.probability, scale: m.scale, norm };
    }
    return { label: s.row_label, input, heads };
  }));
  return { step: json.step, heads: json.heads, combine: json.combine, h, w, samples };
}

function pixelsOf(src) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const c = el("canvas", { width: img.width, height: img.height });
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      resolve({ w: img.width, h: img.height, rgba: g.getImageData(0, 0, img.width, img.height).data });
    };
    img.onerror = () => reject(new Error("cannot decode a probe image"));
    img.src = src;
  });
}

function unionSteps() {
  const all = new Set();
  for (const r of state.runs.values()) r.snapshots.forEach(s => all.add(s.step));
  return [...all].sort((a, b) => a - b);
}

// the run's snapshot at the step, or its latest before it (variants of a comparison share their steps)
function snapshotAt(run, step) {
  let best = null;
  for (const s of run.snapshots) if (s.step <= step) best = s;
  return best;
}

// ---- drawing ---------------------------------------------------------------------------------

// torch.nn.functional.interpolate(mode="bilinear", align_corners=False), as the PNGs are drawn
function resizeBilinear(src, h, w, H, W) {
  const out = new Float32Array(H * W);
  const sy = h / H, sx = w / W;
  for (let y = 0; y < H; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, h - 1), ty = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, w - 1), tx = fx - x0;
      const top = src[y0 * w + x0] * (1 - tx) + src[y0 * w + x1] * tx;
      const bottom = src[y1 * w + x0] * (1 - tx) + src[y1 * w + x1] * tx;
      out[y * W + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

function combineHeads(sample, heads, method) {
  const maps = heads.map(hd => sample.heads[hd].norm);
  const n = maps[0].length, out = new Float32Array(n);
  if (method === "max") {
    for (let i = 0; i < n; i++) out[i] = Math.max(...maps.map(m => m[i]));
  } else {
    const ps = heads.map(hd => sample.heads[hd].p);
    const total = ps.reduce((a, b) => a + b, 0);
    const wts = method === "confidence" && total > 0 ? ps.map(p => p / total) : heads.map(() => 1 / heads.length);
    for (let i = 0; i < n; i++) out[i] = maps.reduce((acc, m, k) => acc + wts[k] * m[i], 0);
  }
  return out;
}

function drawOverlay(canvas, sample, map, h, w, ctl) {
  const { input } = sample;
  const W = input.w * SCALE, H = input.h * SCALE;
  canvas.width = W;
  canvas.height = H;
  const display = resizeBilinear(map, h, w, H, W);
  let max = 0;
  for (const v of display) max = Math.max(max, v);
  const lut = state.colormaps[ctl.colormap];
  const alpha = ctl.mode === "map" ? 1 : ctl.opacity;
  const g = canvas.getContext("2d");
  const img = g.createImageData(W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x, j = (Math.floor(y / SCALE) * input.w + Math.floor(x / SCALE)) * 4;
      const v = max > 0 ? display[i] / max : 0;
      const rgb = lut[Math.round(v * 255)];
      const c = [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255];
      for (let k = 0; k < 3; k++) img.data[i * 4 + k] = Math.round((1 - alpha) * input.rgba[j + k] + alpha * c[k]);
      img.data[i * 4 + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
}

function inputCanvas(sample) {
  const c = el("canvas", { width: sample.input.w, height: sample.input.h, className: "input" });
  const g = c.getContext("2d");
  g.putImageData(new ImageData(new Uint8ClampedArray(sample.input.rgba), sample.input.w, sample.input.h), 0, 0);
  c.style.width = sample.input.w * SCALE + "px";
  c.style.height = sample.input.h * SCALE + "px";
  return c;
}

function fmt(v) {
  if (typeof v !== "number") return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(a >= 10 ? 1 : 4).replace(/\.?0+$/, "");
}

async function renderPanel(name, step) {
  const run = state.runs.get(name);
  const snap = snapshotAt(run, step);
  const panel = el("div", { class: "panel", "data-run": name });
  const at = el("span", { class: "at" }, snap ? `step ${snap.step}` : "no snapshot yet");
  panel.append(el("h2", {}, name, at));
  if (!snap) return panel;
  if (!snap.maps) {
    // a run from before raw maps were stored: its rendered grid, as it was saved
    panel.append(el("img", { class: "overlay png", src: snap.png, "data-head": "all", "data-step": String(snap.step),
      "data-run": name, alt: `CAM grid at step ${snap.step}` }));
    panel.append(el("p", { class: "note" }, "This run's snapshots have no raw maps (written before they were stored), "
      + "so its rendered grids are shown as they are; toggles, opacity and colormaps need raw maps."));
    return panel;
  }
  const d = await decode(snap.maps);
  const heads = d.heads.filter(hd => state.controls[hd] && state.controls[hd].on);
  const showCombined = d.heads.length > 1 && state.controls[COMBINED] && state.controls[COMBINED].on;
  const table = el("table");
  const header = el("tr", {}, el("th", {}), el("th", {}, "input"));
  heads.forEach(hd => header.append(el("th", {}, hd)));
  if (showCombined) header.append(el("th", {}, `${COMBINED}(${state.combine})`));
  table.append(header);
  d.samples.forEach((s, i) => {
    const tr = el("tr", {}, el("td", {}, el("div", { class: "rowlabel" }, s.label)), el("td", { class: "cell" }, inputCanvas(s)));
    for (const hd of heads) {
      const c = el("canvas", { class: "overlay", "data-head": hd, "data-step": String(d.step), "data-run": name, "data-sample": String(i) });
      drawOverlay(c, s, s.heads[hd].norm, d.h, d.w, state.controls[hd]);
      const hs = s.heads[hd];
      const caption = `${hs.cls} ${fmt(hs.p)}`;
      tr.append(el("td", { class: "cell" }, c, el("div", { class: "caption", title: `${hd}: ${caption}` }, caption)));
    }
    if (showCombined) {
      const c = el("canvas", { class: "overlay", "data-head": COMBINED, "data-step": String(d.step), "data-run": name,
        "data-sample": String(i), "data-combine": state.combine });
      drawOverlay(c, s, combineHeads(s, d.heads, state.combine), d.h, d.w, state.controls[COMBINED]);
      tr.append(el("td", { class: "cell" }, c, el("div", { class: "caption" }, state.combine)));
    }
    table.append(tr);
  });
  panel.append(table);
  return panel;
}

let renderToken = 0;
async function render() {
  const token = ++renderToken;
  const slider = $("#step");
  const steps = state.steps;
  const step = steps.length ? steps[Number(slider.value)] : null;
  $("#step-label").textContent = steps.length ? `step ${step}  (${Number(slider.value) + 1} of ${steps.length})` : "no snapshots yet";
  slider.setAttribute("data-step", step === null ? "" : String(step));
  if (step === null) return;
  const panels = await Promise.all(state.view.runs.map(r => state.runs.has(r.name) ? renderPanel(r.name, step) : null));
  if (token !== renderToken) return; // a newer render started while the maps were decoded
  $("#panels").replaceChildren(...panels.filter(Boolean));
  renderMetrics(step);
  markCharts(step);
}

// the latest train row and the latest evaluation at or before the step, per run
function renderMetrics(step) {
  const names = [...state.runs.keys()];
  const rows = new Map(); // key -> [value per run]
  const groups = { eval: new Set(), train: new Set() };
  names.forEach((name, n) => {
    for (const kind of ["eval", "train"]) {
      let last = null;
      for (const r of state.runs.get(name).metrics) if (r.kind === kind && r.step <= step) last = r;
      if (!last) continue;
      for (const [k, v] of Object.entries(last)) {
        if (["kind", "step", "time_ms"].includes(k)) continue;
        const key = kind + "|" + k;
        groups[kind].add(key);
        if (!rows.has(key)) rows.set(key, names.map(() => ""));
        rows.get(key)[n] = fmt(v);
      }
    }
  });
  const table = el("table");
  const head = el("tr", {}, el("th", {}, "metric"));
  names.forEach(n => head.append(el("th", {}, n)));
  table.append(head);
  for (const [kind, title] of [["eval", "evaluation (latest at or before this step)"], ["train", "training step (latest logged)"]]) {
    if (!groups[kind].size) continue;
    table.append(el("tr", { class: "group" }, el("td", { colSpan: names.length + 1 }, title)));
    for (const key of [...groups[kind]].sort()) {
      const tr = el("tr", {}, el("td", {}, key.split("|")[1]));
      rows.get(key).forEach(v => tr.append(el("td", {}, v)));
      table.append(tr);
    }
  }
  $("#metrics").replaceChildren(el("h3", {}, `metrics at step ${step}`), table);
}

// ---- curves ----------------------------------------------------------------------------------

function renderCharts() {
  for (const [id, spec] of Object.entries(CURVES)) {
    const series = []; // {label, points: Map step->value}
    for (const [name, run] of state.runs) {
      const keys = new Set();
      run.metrics.forEach(r => Object.keys(r).forEach(k => spec.match(k) && keys.add(k)));
      for (const k of [...keys].sort()) {
        const points = new Map();
        run.metrics.forEach(r => { if (typeof r[k] === "number") points.set(r.step, r[k]); });
        series.push({ label: state.runs.size > 1 ? `${name}: ${k}` : k, points });
      }
    }
    const box = $("#chart-" + id);
    if (state.charts[id]) { state.charts[id].destroy(); delete state.charts[id]; }
    if (!series.length) {
      const none = [...state.runs.values()].some(r => r.metrics.length) ? `none logged${id === "penalty" ? " (no guidance term in this run)" : ""}` : "nothing logged yet";
      box.replaceChildren(el("div", { class: "empty" }, `${spec.title}: ${none}`));
      continue;
    }
    const xs = [...new Set(series.flatMap(s => [...s.points.keys()]))].sort((a, b) => a - b);
    const data = [xs, ...series.map(s => xs.map(x => s.points.has(x) ? s.points.get(x) : null))];
    box.replaceChildren();
    const opts = {
      title: spec.title, width: Math.max(380, box.clientWidth - 16), height: 220,
      scales: { x: { time: false } },
      axes: [{ label: "step" }, {}],
      series: [{ label: "step" }, ...series.map((s, i) => ({
        label: s.label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true,
        points: { show: s.points.size < 40 },
      }))],
      hooks: { draw: [u => drawStepMarker(u)] },
    };
    state.charts[id] = new uPlot(opts, data, box);
  }
  markCharts(currentStep());
}

function drawStepMarker(u) {
  const step = currentStep();
  if (step === null) return;
  const x = u.valToPos(step, "x", true);
  const g = u.ctx;
  g.save();
  g.strokeStyle = "rgba(0,0,0,0.35)";
  g.setLineDash([4, 4]);
  g.beginPath();
  g.moveTo(x, u.bbox.top);
  g.lineTo(x, u.bbox.top + u.bbox.height);
  g.stroke();
  g.restore();
}

function markCharts() {
  Object.values(state.charts).forEach(c => c.redraw(false, false));
}

function currentStep() {
  return state.steps.length ? state.steps[Number($("#step").value)] : null;
}

// ---- controls --------------------------------------------------------------------------------

function headsOfRuns() {
  // from the newest snapshot with raw maps of each run; a run's heads do not change
  return Promise.all([...state.runs.values()].map(run => {
    const last = [...run.snapshots].reverse().find(s => s.maps);
    return last ? decode(last.maps).then(d => d.heads).catch(() => []) : [];
  })).then(lists => [...new Set(lists.flat())]);
}

function combineDefault() {
  const any = [...state.decoded.values()][0];
  return any ? any.then(d => COMBINE_METHODS.includes(d.combine) ? d.combine : "mean").catch(() => "mean") : Promise.resolve("mean");
}

function buildHeadControls() {
  const box = $("#head-controls");
  box.replaceChildren();
  const names = state.heads.length > 1 ? [...state.heads, COMBINED] : [...state.heads];
  names.forEach(hd => {
    const ctl = state.controls[hd] || (state.controls[hd] = { on: true, opacity: DEFAULT_OPACITY, colormap: "jet", mode: "overlay" });
    const toggle = el("input", { type: "checkbox", checked: ctl.on, "data-head": hd, title: `show ${hd}` });
    toggle.addEventListener("change", () => { ctl.on = toggle.checked; render(); });
    const opacity = el("input", { type: "range", min: 0, max: 1, step: 0.05, value: ctl.opacity, class: "opacity", "data-head": hd });
    opacity.addEventListener("input", () => { ctl.opacity = Number(opacity.value); render(); });
    const cmap = el("select", { class: "colormap", "data-head": hd });
    Object.keys(state.colormaps).forEach(n => cmap.append(el("option", { value: n, selected: n === ctl.colormap }, n)));
    cmap.addEventListener("change", () => { ctl.colormap = cmap.value; render(); });
    const mode = el("select", { class: "mode", "data-head": hd });
    [["overlay", "overlay"], ["map", "map alone"]].forEach(([v, t]) => mode.append(el("option", { value: v, selected: v === ctl.mode }, t)));
    mode.addEventListener("change", () => { ctl.mode = mode.value; render(); });
    const label = el("label", { class: "name" }, toggle, hd);
    const group = el("div", { class: "head-control", "data-control": hd }, label,
      el("label", {}, "opacity", opacity), el("label", {}, "colormap", cmap), el("label", {}, mode));
    if (hd === COMBINED) {
      const method = el("select", { id: "combine" });
      COMBINE_METHODS.forEach(m => method.append(el("option", { value: m, selected: m === state.combine }, m)));
      method.addEventListener("change", () => { state.combine = method.value; render(); });
      group.append(el("label", {}, "by", method));
    }
    box.append(group);
  });
  if (!state.heads.length && state.runs.size) {
    box.append(el("span", { class: "note" }, "No raw maps in these snapshots: the rendered grids are shown."));
  }
}

function renderStatus() {
  const box = $("#runs-status");
  box.replaceChildren(...state.view.runs.map(r => {
    const run = state.runs.get(r.name);
    const status = run ? run.status : r.status;
    return el("span", { class: "badge " + status, title: r.dir }, `${r.name}: ${status === "running" ? "training (live)" : status.toLowerCase()}`);
  }));
}

function setSteps(follow) {
  const slider = $("#step");
  const before = currentStep();
  const atEnd = Number(slider.value) >= Number(slider.max);
  state.steps = unionSteps();
  slider.max = String(Math.max(0, state.steps.length - 1));
  slider.setAttribute("data-steps", String(state.steps.length));
  let index = state.steps.indexOf(before);
  if (index < 0 || (follow && atEnd)) index = state.steps.length - 1;
  slider.value = String(Math.max(0, index));
}

async function refresh(names, follow) {
  await loadView();
  const wanted = names || state.view.runs.map(r => r.name);
  await Promise.all(state.view.runs.filter(r => wanted.includes(r.name) || !state.runs.has(r.name)).map(r => loadRun(r.name)));
  setSteps(follow);
  const heads = await headsOfRuns();
  if (heads.join() !== state.heads.join()) {
    state.heads = heads;
    state.combine = await combineDefault();
    buildHeadControls();
  }
  renderStatus();
  renderCharts();
  await render();
}

function play() {
  const button = $("#play");
  if (state.playing) {
    clearInterval(state.playing);
    state.playing = null;
    button.innerHTML = "&#9654; play";
    return;
  }
  const slider = $("#step");
  if (Number(slider.value) >= Number(slider.max)) slider.value = "0";
  button.innerHTML = "&#10074;&#10074; pause";
  render();
  state.playing = setInterval(() => {
    if (Number(slider.value) >= Number(slider.max)) { play(); return; }
    slider.value = String(Number(slider.value) + 1);
    render();
  }, PLAY_MS);
}

async function main() {
  $("#step").addEventListener("input", () => render());
  $("#play").addEventListener("click", play);
  try {
    state.colormaps = await getJson("/api/colormaps");
    await refresh(null, true);
  } catch (e) {
    say("Could not load the run: " + e.message);
    return;
  }
  const events = new EventSource("/api/events");
  events.addEventListener("change", ev => {
    const { runs } = JSON.parse(ev.data);
    refresh(runs, true).then(() => say("")).catch(e => say("Could not refresh: " + e.message));
  });
  events.onerror = () => say("Lost the connection to the viewer; retrying…");
  events.onopen = () => say("");
  window.addEventListener("resize", () => renderCharts());
}

main();
