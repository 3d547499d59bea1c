// @ts-check
// Tracks: a chart engine and the entries it plays (null where it holds), with
// the state it is in, so any track can be brought to any step. The main chart,
// each dashboard chart and the presenter's preview are tracks. What a chart is
// told to show (a step's highlight, the mark being explored) and what it drew
// (its marks, labels and their missing values, the tones heard) is kept on its
// track: nothing is hung on the engine.

import * as steps from "../static/steps.js";
import { NARROW, NARROW_PX, merge } from "./look.js";
import { repeatsHeadline } from "./words.js";

export const DIMMED = 0.3; // opacity of marks a highlight (or a dashboard click) does not pick

/** @typedef {import("vizzu").default} Chart */
/** @typedef {import("vizzu").Geom.Point} Point */
/** @typedef {Point & { values: Record<string, unknown> }} Pointed a highlighted mark's top, and its values */
/** @typedef {import("vizzu").Events.Marker} Marker */
/** @typedef {import("./document").Step} Step */
/** @typedef {import("./document").Filter} Filter */
/** @typedef {import("./document").Data} Data */
/** @typedef {import("./document").StoryDocument} StoryDocument */
/** @typedef {import("../static/steps.js").ChartEvents} ChartEvents */
/**
 * A mark of the last frame a chart drew: its categories and values, the
 * engine's name for it, its centre, whether it was seen (not faded out), and whether
 * it is the point after a gap of a line or area (a value, its stretch in not drawn).
 * @typedef {{
 *   categories: Record<string, string>,
 *   values: Record<string, number>,
 *   index: string,
 *   center: Point | undefined,
 *   seen: boolean,
 *   broken: boolean,
 * }} Mark
 */
/** @typedef {{ label: string, value: number, frequency: number }} Tone */
/** @typedef {import("../static/steps.js").Next} Next */
/**
 * A step's highlight: which marks it points at and the note beside them.
 * @typedef {{ test: steps.Keep, note: string | null }} Pointing
 */
/**
 * What a track's chart does with the viewer: a click on a mark, and a hook run
 * just before a mark's label is drawn (a dashboard dims it there).
 * @typedef {{
 *   onClick?: (marker: { categories: Record<string, string>, values: Record<string, number> }) => void,
 *   beforeLabel?: (event: ChartEvents["plot-marker-label-draw"]) => void,
 * }} Hooks
 */
/**
 * A track: its chart and where it draws, the entries it plays and the state
 * it is in (`at`, `dataset`, its own `filter` and a dashboard's `extra` one),
 * what it is told to show and what it drew last.
 * @typedef {{
 *   chart: Chart,
 *   element: HTMLElement,
 *   note: HTMLElement,
 *   entries: (Step | null)[],
 *   at: number,
 *   dataset: string | null,
 *   filter: Filter | null,
 *   extra: Filter | null,
 *   styled: boolean,
 *   renewable: boolean,
 *   leaving?: HTMLElement | null,
 *   hooks: Hooks,
 *   pointing: Pointing | null,
 *   pointedAt: Pointed[],
 *   ringed: string | null,
 *   marks: Mark[],
 *   drawnLabels: steps.DrawnLabel[],
 *   tones: Tone[],
 *   expect: (test: steps.Reported | null, previous?: steps.Previous | null, values?: steps.Valued | null) => void,
 *   missing: steps.Missing,
 *   broken?: Set<string>,
 *   ends: steps.Ends | null,
 *   crossFilter: ((on: Track, datasetId: string) => Filter | null) | null,
 *   keyDimension: string,
 *   key: steps.Key | null,
 *   keyBefore?: steps.Key | null,
 *   keySize: number,
 *   scale?: string,
 *   compact: boolean,
 *   logo: boolean,
 *   room: Room,
 *   staged?: boolean,
 *   legs?: steps.Legs | null,
 *   moment?: string | null,
 *   momentNote?: string | null,
 *   momentLeaving?: { moment: string | null, note: string | null } | null,
 *   turned?: boolean,
 *   drawnAtRest?: boolean,
 *   axes?: { x: boolean, y: boolean },
 *   plane?: Plane,
 *   markAt?: steps.ChartRecord["markAt"],
 *   marksIn?: steps.ChartRecord["marksIn"],
 * }} Track
 */
/**
 * What the plot's right margin depends on, as the steps so far leave it: whether its x axis
 * holds categories alone, its marks' geometry and whether its coordinates are polar.
 * @typedef {{ categories: boolean, geometry: string, polar: boolean }} Plane
 */
/**
 * The room a plot keeps above and below it, in type sizes of its chart.
 * @typedef {{ top: number, bottom: number }} Room
 */

/** `chart.on` by the event's name as a script writes it (see steps.js). */
export const listen = steps.listen;

/** @typedef {import("vizzu").AnyAnimTarget} AnimTarget */
/** @typedef {import("vizzu").AnyAnimOptions} AnimOptions */
/**
 * `chart.animate(target, options)` as the engine takes them from a script (its
 * types declare these forms beside its class, where a script's checker misses them).
 * @param {Chart} chart
 * @param {AnimTarget} target
 * @param {AnimOptions} [options]
 * @returns {import("vizzu").AnimCompleting}
 */
export function animate(chart, target, options) {
  const run = /** @type {(target: AnimTarget, options?: AnimOptions) => import("vizzu").AnimCompleting} */ (
    /** @type {unknown} */ (chart.animate)
  );
  return run.call(chart, target, options);
}

/** Draw the chart again as it stands (steps.redraw). */
export const redraw = steps.redraw;

/**
 * The last entry at or before `k` that a track plays (-1: none yet).
 * @param {unknown[]} entries
 * @param {number} k
 */
export function lastAt(entries, k) {
  for (let j = Math.min(k, entries.length - 1); j >= 0; j -= 1) if (entries[j]) return j;
  return -1;
}

/**
 * Both filters (either may be missing).
 * @param {Filter | null | undefined} a
 * @param {Filter | null | undefined} b
 * @returns {Filter | null}
 */
export const both = (a, b) => (a && b ? { and: [a, b] } : a ?? b ?? null);

/**
 * Whether a step's highlight leaves this mark out (it dims, its label too).
 * @param {Track} on
 * @param {Marker | null | undefined} marker
 */
const pointedOut = (on, marker) => Boolean(on.pointing && marker && !on.pointing.test({ ...marker.categories, ...marker.values }));

/**
 * Follow the marks a chart draws: those a highlight or the mark explored does
 * not pick dim; the tops of those a highlight points at are kept for placing
 * its note, and every mark of the last frame for exploring and for a filtered
 * dashboard chart's table.
 * @param {Track} on
 */
function followMarks(on) {
  /** @type {Pointed[]} */
  let tops = [];
  /** @type {Mark[]} */
  let drawing = [];
  listen(on.chart, "draw-begin", () => {
    tops = [];
    drawing = [];
  });
  listen(on.chart, "plot-marker-draw", (event) => {
    const marker = event.target;
    if (!marker) return;
    const context = event.renderingContext;
    if (on.pointing) {
      if (pointedOut(on, marker)) context.globalAlpha *= DIMMED;
      else if (marker.position?.top) tops.push({ x: marker.position.top.x, y: marker.position.top.y, values: { ...marker.values } });
    }
    if (on.ringed !== null && marker.index !== on.ringed) context.globalAlpha *= DIMMED;
    const { index, position } = marker;
    const categories = /** @type {Record<string, string>} */ ({ ...marker.categories });
    const values = /** @type {Record<string, number>} */ ({ ...marker.values });
    // A mark filtered out is drawn invisibly while it fades.
    const broken = Boolean(on.broken?.has(index));
    drawing.push({ categories, values, index, center: position?.center, seen: context.globalAlpha > 0.01, broken });
  });
  listen(on.chart, "draw-complete", () => {
    on.pointedAt = tops;
    on.marks = drawing;
  });
}

/**
 * The note of a highlighted step beside the mark whose value it says ("Renewables reach
 * 21.9K": 2017's, not 2010's taller stack), else the highest mark it points at, kept inside
 * the chart: above it and to its right, else where it covers no mark and no label (to its
 * left, then below, then the nearest such place: nearestClear), else above and to the right.
 * @param {Track} on
 * @param {ReturnType<typeof steps.display>} shown
 */
function placeNote(on, shown) {
  const note = on.note;
  const text = on.pointing?.note;
  note.hidden = !text;
  if (!text) return;
  note.textContent = text;
  const box = on.element.getBoundingClientRect();
  const words = text.split(/\s+/).map((word) => word.replace(/[.,;:!?)]+$/, ""));
  const says = (/** @type {Pointed} */ point) =>
    Object.entries(point.values).some(([name, value]) => typeof value === "number" && [shown.said(name, value), shown.number(name, value)].some((said) => words.includes(said)));
  /** @type {Point | null} */
  const highest = on.pointedAt.reduce((/** @type {Point | null} */ best, point) => (!best || point.y < best.y ? point : best), null);
  const top = on.pointedAt.find(says) ?? highest;
  const anchor = top ?? { x: box.width / 2, y: box.height / 3 };
  const [width, height] = [note.offsetWidth, note.offsetHeight];
  const inside = (/** @type {number} */ x, /** @type {number} */ y) => [Math.min(Math.max(8, x), box.width - width - 8), Math.min(Math.max(8, y), box.height - height - 8)];
  // Clear of the mark's own value label above it, or below it.
  const [above, below] = [anchor.y - height - 28, anchor.y + 28];
  const [right, left] = [anchor.x + 12, anchor.x - width - 12];
  const first = inside(right + width > box.width - 8 ? left : right, above);
  const places = [first, ...[[left, above], [right, below], [left, below]].map(([x, y]) => inside(x, y))];
  const clear = (/** @type {number[]} */ [x, y]) => !coversChart(on, [x, y, x + width, y + height]);
  const [x, y] = places.find(clear) ?? nearestClear(anchor, [width, height], box, clear) ?? first;
  note.style.left = `${x}px`;
  note.style.top = `${y}px`;
  note.dataset.shown = "true";
}

// Where a note may go when no place beside its mark is clear: a grid of this many pixels
// over the chart, no farther from the mark than this share of the chart's width.
const NOTE_GRID = 16;
const NOTE_REACH = 0.4;

/**
 * The place of a `width` by `height` note nearest `anchor` where `clear` says it covers
 * nothing, within NOTE_REACH of the chart's width; null where there is none.
 * @param {Point} anchor
 * @param {[number, number]} size
 * @param {DOMRect} box the chart
 * @param {(place: number[]) => boolean} clear
 */
function nearestClear(anchor, [width, height], box, clear) {
  /** @type {[number, number][]} */
  const places = [];
  for (let x = 8; x + width <= box.width - 8; x += NOTE_GRID) {
    for (let y = 8; y + height <= box.height - 8; y += NOTE_GRID) places.push([x, y]);
  }
  const away = (/** @type {[number, number]} */ [x, y]) =>
    Math.hypot(Math.max(x - anchor.x, 0, anchor.x - x - width), Math.max(y - anchor.y, 0, anchor.y - y - height));
  const near = places.filter((place) => away(place) <= box.width * NOTE_REACH).sort((p, q) => away(p) - away(q));
  return near.find(clear) ?? null;
}

/**
 * Whether the box `[left, top, right, bottom]` (the chart's pixels) lies over a mark the
 * chart draws or a text it wrote.
 * @param {Track} on
 * @param {[number, number, number, number]} box
 */
function coversChart(on, [left, top, right, bottom]) {
  const texts = on.drawnLabels.some(({ box: [l, t, r, b] }) => l < right && r > left && t < bottom && b > top);
  if (texts) return true;
  const boxed = on.marksIn?.([left, top, right, bottom]);
  if (boxed !== undefined) return boxed;
  // A pie's slices, which marksIn cannot tell: where the engine's hit test finds one.
  for (let i = 0; i <= 4; i += 1) {
    for (let j = 0; j <= 2; j += 1) {
      if (on.markAt?.({ x: left + ((right - left) * i) / 4, y: top + ((bottom - top) * j) / 2 })) return true;
    }
  }
  return false;
}

/**
 * The note a highlighted step shows over the chart in `element`.
 * @param {HTMLElement} element
 */
function noteIn(element) {
  const note = document.createElement("p");
  note.className = "ipyreport-note";
  note.setAttribute("role", "note");
  note.hidden = true;
  element.append(note);
  return note;
}

/**
 * A click on a mark goes to the track's hook; one on the engine's logo, which
 * opens the vendor's web page (a network request), does nothing.
 * @param {Track} on
 */
function followClicks(on) {
  listen(on.chart, "click", (event) => {
    if (event.target?.tagName === "logo") event.preventDefault();
    else {
      const marker = pointedMark(on, event);
      if (!marker) return;
      const categories = /** @type {Record<string, string>} */ ({ ...marker.categories });
      on.hooks.onClick?.({ categories, values: /** @type {Record<string, number>} */ ({ ...marker.values }) });
    }
  });
}

/**
 * The mark a pointer event is on: where the player draws it (a mark of grouped columns
 * stands closer to its group's middle than the engine lays it), else as the engine finds
 * it (a mark, or the mark of a value label).
 * @param {Track} on
 * @param {{ target: unknown, detail: { position: { x: number, y: number } } }} event
 * @returns {Pick<Marker, "categories" | "values"> | null}
 */
function pointedMark(on, event) {
  const target = /** @type {Marker | import("vizzu").Events.MarkerLabel | null} */ (event.target);
  if (target?.tagName === "plot-marker-label") return target.parent;
  const drawn = on.markAt?.(event.detail.position);
  if (drawn !== undefined) return drawn && /** @type {Pick<Marker, "categories" | "values">} */ (/** @type {unknown} */ (drawn));
  return target?.tagName === "plot-marker" ? target : null;
}

/**
 * A filter compiled for `data` (null: none, every row).
 * @param {Filter | null} rule
 * @param {Data} data
 * @param {Map<string, Function>} raw
 */
const compiled = (rule, data, raw) => (rule ? steps.compileFilter(rule, data, raw) : null);

/**
 * What the player makes tracks with: the story and everything read from it once.
 * @typedef {{
 *   Vizzu: typeof import("vizzu").default,
 *   store: import("./store.js").Store,
 *   story: StoryDocument,
 *   shown: ReturnType<typeof import("../static/steps.js").display>,
 *   datasets: Record<string, Data>,
 *   raw: Map<string, Function>,
 *   baseStyle: object,
 *   plainMarks: string | null,
 *   reducedMotion: MediaQueryList,
 *   ink: { ink: string, paper: string, soft: string },
 * }} Context
 */

/**
 * The mark under the pointer, in words and the story's formats (the
 * engine's own tooltip would write 323764017.77).
 * @param {Context} context
 * @param {Track} on
 */
function tooltip({ shown }, on) {
  const tip = document.createElement("div");
  tip.className = "ipyreport-tip";
  tip.setAttribute("aria-hidden", "true"); // the data table and descriptions say it for everyone
  tip.hidden = true;
  on.element.append(tip);
  listen(on.chart, "pointermove", (event) => {
    const marker = pointedMark(on, event);
    tip.hidden = !marker;
    if (!marker) return;
    const lines = [
      ...Object.entries(marker.categories ?? {}).map(([name, value]) => `${shown.name(name)}: ${shown.label(name, value)}`),
      ...Object.entries(marker.values ?? {}).map(
        ([name, value]) => `${shown.name(name)}: ${on.missing(marker, name) ? "no data" : shown.number(name, value)}`,
      ),
    ];
    tip.textContent = lines.join("\n");
    const { x, y } = event.detail.position;
    tip.style.left = `${Math.min(x + 14, Math.max(0, on.element.clientWidth - tip.offsetWidth - 4))}px`;
    tip.style.top = `${Math.max(0, y - tip.offsetHeight - 10)}px`;
  });
  listen(on.chart, "pointerleave", () => {
    tip.hidden = true;
  });
}

/**
 * A chart engine in `element`, counted in the store until it is let go of.
 * @param {Context} context
 * @param {HTMLElement} element
 * @returns {Promise<Chart>}
 */
async function engineIn({ Vizzu, store }, element) {
  const chart = await new Vizzu(element).initializing;
  store.dispatch({ type: "engines", by: 1 });
  return chart;
}

/**
 * The track's chart with the story's labels, highlight, clicks and tooltip
 * (its note is already in place, after the engine's canvas).
 * @param {Context} context
 * @param {Track} on
 */
function furnish(context, on) {
  const { story, shown, ink, plainMarks } = context;
  steps.followMissing(on.chart, on);
  followMarks(on);
  steps.readableLabels(on.chart, shown, on, {
    ...ink,
    ...(plainMarks ? { neutral: plainMarks } : {}),
    noData: typeof story.words?.no_data === "string" ? story.words.no_data : undefined,
    before: (/** @type {ChartEvents["plot-marker-label-draw"]} */ event) => {
      if (pointedOut(on, event.target?.parent)) event.renderingContext.globalAlpha *= DIMMED;
      on.hooks.beforeLabel?.(event);
    },
  });
  followClicks(on);
  listen(on.chart, "logo-draw", (event) => {
    if (!on.logo) event.preventDefault();
  });
  if (story.tooltips !== false) tooltip(context, on);
}

/**
 * A track drawing in `element`. A `renewable` one makes a fresh chart in the
 * same place for a move the engine cannot animate; a `compact` one (a
 * dashboard's) keeps no more room around its plot than its axes draw in;
 * one without its `logo` hides the engine's (a page shows it once).
 * @param {Context} context
 * @param {HTMLElement} element
 * @param {(Step | null)[]} entries
 * @param {Hooks & { renewable?: boolean, compact?: boolean, logo?: boolean }} [options]
 * @returns {Promise<Track>}
 */
async function track(context, element, entries, { renewable = false, compact = false, logo = true, ...hooks } = {}) {
  /** @type {Track} */
  const on = {
    chart: await engineIn(context, element),
    element,
    note: noteIn(element),
    entries,
    at: -1,
    dataset: null,
    filter: null,
    extra: null,
    styled: false,
    renewable,
    hooks,
    pointing: null,
    pointedAt: [],
    ringed: null,
    marks: [],
    drawnLabels: [],
    tones: [],
    expect: () => {},
    missing: () => false,
    ends: null,
    crossFilter: null,
    keyDimension: "",
    key: null,
    keySize: steps.KEY.size,
    compact,
    logo,
    room: ENGINE_ROOM,
  };
  furnish(context, on);
  return on;
}

/**
 * Whether moving from dataset `from` to `to` changes the kind of a series
 * both hold (a year that is a measure in the data and a dimension in a
 * timeline's own table): the engine keeps every series it was given and
 * refuses a second one of the same name, so such a move needs a new chart.
 * @param {Context} context
 * @param {string | null} from
 * @param {string} to
 */
function clashes({ datasets }, from, to) {
  if (from === null || from === to) return false;
  const kinds = new Map(datasets[from].series.map((s) => [s.name, s.type]));
  return datasets[to].series.some((s) => kinds.has(s.name) && kinds.get(s.name) !== s.type);
}

/**
 * A fresh chart in the track's place (the track keeps its entries and position).
 * @param {Context} context
 * @param {Track} on
 */
async function renew(context, on) {
  const { store } = context;
  try {
    on.chart.detach();
  } catch {
    // already unusable: the new chart replaces it either way
  }
  store.dispatch({ type: "engines", by: -1 });
  on.element.replaceChildren();
  on.chart = await engineIn(context, on.element);
  on.note = noteIn(on.element);
  Object.assign(on, { dataset: null, styled: false, pointing: null, ringed: null, marks: [], pointedAt: [], keyDimension: "", key: null, keyBefore: null, scale: "", room: ENGINE_ROOM, turned: false });
  furnish(context, on);
}

/**
 * The chart as it stands, as a picture laid over it (none when it has drawn nothing).
 * @param {Track} on
 * @returns {HTMLImageElement | null}
 */
function pictureOf(on) {
  const canvas = on.element.querySelector("canvas");
  if (!canvas || !canvas.width || !canvas.height) return null;
  const picture = document.createElement("img");
  picture.src = canvas.toDataURL();
  picture.alt = "";
  picture.className = "ipyreport-leaving";
  Object.assign(picture.style, {
    position: "absolute",
    left: `${canvas.offsetLeft}px`,
    top: `${canvas.offsetTop}px`,
    width: `${canvas.clientWidth}px`,
    height: `${canvas.clientHeight}px`,
    pointerEvents: "none",
  });
  return picture;
}

// The longest a chart dissolves into another: the two overlap no longer than the eye needs.
const DISSOLVE_SECONDS = 0.6;
// The chart before fades out over the dissolve's first 60%, the chart coming fades in over
// its last 60%: one gives way to the other, both under a tenth of their strength where both
// show, so their titles, keys and ticks are never read over one another.
const DISSOLVE_OVERLAP = 0.6;

/**
 * Lay `picture` (the chart as it stood) over the track and fade it out within `seconds`,
 * while the chart coming fades in (see DISSOLVE_OVERLAP).
 * @param {Track} on
 * @param {HTMLImageElement} picture
 * @param {number} seconds
 * @returns {Promise<void>} settled once the picture is gone
 */
function dissolve(on, picture, seconds) {
  on.element.append(picture);
  on.leaving = picture;
  return fadeOut(picture, Math.min(seconds, DISSOLVE_SECONDS) * 1000, on.element.querySelector("canvas"));
}

/** An eased step from 0 to 1 as `t` goes from 0 to 1 (clamped). */
const smooth = (/** @type {number} */ t) => {
  const u = Math.min(1, Math.max(0, t));
  return u * u * (3 - 2 * u);
};

/**
 * Fade a picture out over `ms`, frame by frame, then take it away; `coming` (the chart
 * under it) fades in over the same time, later (see DISSOLVE_OVERLAP).
 * @param {HTMLElement} picture
 * @param {number} ms
 * @param {HTMLElement | null} coming
 * @returns {Promise<void>} settled once the picture is gone (faded, or taken away before)
 */
function fadeOut(picture, ms, coming) {
  return new Promise((gone) => {
    const start = performance.now();
    const away = () => {
      picture.remove();
      if (coming) coming.style.opacity = "";
      gone();
    };
    if (coming) coming.style.opacity = "0";
    /** @param {number} now */
    const frame = (now) => {
      const t = Math.min(1, Math.max(0, (now - start) / Math.max(ms, 1)));
      picture.style.opacity = String(1 - smooth(t / DISSOLVE_OVERLAP));
      if (coming) coming.style.opacity = String(smooth((t - (1 - DISSOLVE_OVERLAP)) / DISSOLVE_OVERLAP));
      if (t < 1 && picture.isConnected) requestAnimationFrame(frame);
      else away();
    };
    requestAnimationFrame(frame);
    // A page that paints no frames (hidden) still loses the picture.
    setTimeout(away, ms + 250);
  });
}

/**
 * What the marks of the state coming hold: which hold no value
 * (placeholders, nulls), which end a series (a step naming its series at
 * their ends labels only each one's last point), which a highlight picks.
 * @param {Context} context
 * @param {Track} on
 * @param {Step} entry
 * @param {string} datasetId
 */
function expectMarks({ story, datasets, raw }, on, entry, datasetId) {
  const data = datasets[datasetId];
  const from = story.placeholders?.[datasetId] ?? null;
  const keep = compiled(both(on.filter, on.extra), data, raw);
  on.expect(steps.reported(data, from, keep), steps.previousIn(data), steps.valuesIn(data, from, keep));
  on.ends = entry.ends ? steps.seriesEnds(data, from, keep) : null;
  const pointing = entry.highlight;
  on.pointing = pointing ? { test: steps.compileFilter(pointing.filter, data, raw), note: pointing.note } : null;
  on.note.dataset.shown = "false";
}

/**
 * The animate() target for `entry` on `track`, with the track's state moved on.
 * @param {Context} context
 * @param {Track} on
 * @param {Step} entry
 */
function targetFor(context, on, entry) {
  const { story, datasets, raw, baseStyle, plainMarks } = context;
  if ("filter" in entry) on.filter = entry.filter ?? null;
  if (on.crossFilter) on.extra = on.crossFilter(on, entry.data ?? "main");
  const step = on.extra ? { ...entry, filter: both(on.filter, on.extra) } : entry;
  /** @type {Next} */
  const next = steps.stepTarget(step, datasets, on.dataset, raw);
  next.target = steps.withColors(next.target, entry, datasets[next.dataset], story.colors, plainMarks);
  next.target = steps.withTimeAxis(next.target, entry, context.shown);
  next.target = withoutRepeatedTitle(next.target, headlineOver(story, entry));
  on.dataset = next.dataset;
  on.moment = momentOf(entry, context.shown);
  // A timeline's moment, and what its subtitle adds ("No data reported"), are said in the
  // plot (steps.drawMoment): the engine keeps no title rows over the plot for them.
  const config = /** @type {{ subtitle?: unknown }} */ (entry.config);
  on.momentNote = (on.moment && typeof config.subtitle === "string" && config.subtitle.trim()) || null;
  if (on.moment) next.target = { ...next.target, config: /** @type {typeof next.target.config} */ ({ ...next.target.config, title: null, subtitle: null }) };
  expectMarks(context, on, entry, next.dataset);
  const narrow = on.element.clientWidth < NARROW_PX;
  if (!on.styled) {
    // A phone's chart, and a dashboard's (whose engine type shrinks with its size, to 9 px
    // on a laptop), set their type at 12 px: no chart text is smaller.
    const fixedType = narrow || on.compact;
    next.target.style = merge(fixedType ? merge(baseStyle, NARROW) : baseStyle, next.target.style ?? {});
    on.styled = true;
  }
  const turned = narrow && sideways(context, on, entry);
  const wasTurned = on.turned ?? false;
  on.turned = turned;
  if (turned) next.target = turn(next.target);
  next.target = withKey(context, on, entry, next, narrow);
  next.target = withAxisRoom(context, on, steps.channelSeries(entry, turned ? "x" : "y"), next, narrow);
  next.target = withPlotSides(context, on, entry, next.target);
  // A staged move's in-between states lay out the chart it leaves, then its own: each is
  // turned as that chart is (a phone's columns drawn as bars queue up as bars into a pie).
  // (the chart the step leaves is the engine's state until it moves on)
  const alike = turned === wasTurned || !drawsAxes(turned ? on.chart.config : next.target.config);
  if ((turned || wasTurned) && alike && ("x" in next.options || "y" in next.options)) {
    // Its stages too: what the story times on the upright chart's x is the turned one's y,
    // when both charts are turned, or the other draws no axes (tiles into columns drawn as bars).
    const { x, y, ...rest } = /** @type {Record<string, unknown>} */ (next.options);
    next.options = /** @type {typeof next.options} */ ({ ...rest, ...(y === undefined ? {} : { x: y }), ...(x === undefined ? {} : { y: x }) });
  }
  if (next.via && (turned || wasTurned)) {
    next.via = next.via.map((leg) =>
      leg.config && (leg.side === "before" ? wasTurned : turned) ? { ...leg, config: /** @type {Record<string, unknown>} */ (turn({ config: leg.config }).config) } : leg,
    );
  }
  return next;
}

/**
 * The moment a timeline's step stands at: its chart's title, where that is the label of the
 * one value its filter (or a part of it, beside a race's top few) keeps ("Aug 2022"); else null.
 * @param {Step} entry
 * @param {ReturnType<typeof import("../static/steps.js").display>} shown
 */
function momentOf(entry, shown) {
  const title = /** @type {{ title?: unknown } | undefined} */ (entry.config)?.title;
  /** @typedef {{ in?: { column: string, values: (string | number)[] }, and?: Kept[] }} Kept */
  const filter = /** @type {Kept | null | undefined} */ (entry.filter);
  const parts = filter?.and ?? (filter ? [filter] : []);
  const names = (/** @type {Kept} */ part) => part.in?.values.length === 1 && shown.label(part.in.column, part.in.values[0]) === title;
  return typeof title === "string" && parts.some(names) ? title : null;
}

/**
 * The headline a page shows over `entry`'s chart: its slide's heading, when shown.
 * @param {StoryDocument} story
 * @param {Step} entry
 */
function headlineOver(story, entry) {
  const slide = story.slides.find((s) =>
    /** @type {readonly unknown[]} */ (s.steps).some((step) => step === entry || /** @type {{ charts?: unknown[] }} */ (step).charts?.includes(entry)),
  );
  return slide?.headingShown ? slide.heading : null;
}

/**
 * `target` with no chart title where its title repeats the headline above the chart:
 * said once, by the headline (as the article says it).
 * @param {Next["target"]} target
 * @param {string | null} headline
 */
function withoutRepeatedTitle(target, headline) {
  const config = /** @type {Record<string, unknown> | undefined} */ (target.config);
  return config && repeatsHeadline(config.title, headline) ? { ...target, config: /** @type {typeof target.config} */ ({ ...config, title: null }) } : target;
}

// The room the engine keeps above and below a plot (4.17em and 5.83em), whatever its axes draw there.
const ENGINE_ROOM = { top: 4.166667, bottom: 5.833333 };
// What a compact chart's axes need: a value axis's title above the plot or
// under it (below its labels); a category or time axis's labels alone under it;
// above a plot with no title there, half a label (the top tick's) and a little air.
const ROOM = { titled: { top: 2.75, bottom: ENGINE_ROOM.bottom }, labelled: { top: 1.25, bottom: 2.5 }, bare: { top: 1.25, bottom: 0.75 } };
// The engine's logo sits in the chart's bottom right corner: under the last category's label, not beside it.
const LOGO_LINE = 1.25;

/**
 * A config's channels by name.
 * @param {Record<string, unknown> | undefined} config
 */
const channelsOf = (config) => /** @type {Record<string, Record<string, unknown> | undefined>} */ (config?.channels ?? {});

/**
 * The series a channel's config sets, or null when it leaves them as they were.
 * @param {Record<string, unknown> | undefined} channel
 * @returns {string[] | null}
 */
function seriesOn(channel) {
  if (!channel || !("set" in channel)) return null;
  const set = /** @type {unknown[]} */ ([channel.set ?? []].flat());
  return set.map((entry) => (typeof entry === "string" ? entry : /** @type {{ name: string }} */ (entry)?.name));
}

/**
 * Whether a chart's `config` puts any series on an axis (a treemap's puts none).
 * @param {unknown} config
 */
function drawsAxes(config) {
  const channels = channelsOf(/** @type {Record<string, unknown>} */ (config));
  return ["x", "y"].some((axis) => (seriesOn(channels[axis]) ?? []).length > 0);
}

/**
 * Whether an axis of the chart, as `config` leaves it (the engine's own config for
 * an axis the step does not set), is labelled by `dimension` alone: its categories.
 * @param {string} dimension
 * @param {Record<string, unknown>} config
 * @param {Chart} chart
 */
function onAxis(dimension, config, chart) {
  const now = channelsOf(/** @type {Record<string, unknown>} */ (/** @type {unknown} */ (chart.config)));
  return ["x", "y"].some((axis) => {
    const names = seriesOn(channelsOf(config)[axis]) ?? seriesOn(now[axis]) ?? [];
    return names.length === 1 && names[0] === dimension;
  });
}

/**
 * The room a compact chart's plot keeps for the axes `config` sets (an axis the
 * step leaves as it was keeps its room: `was`). An axis is titled when its title
 * is set, or left to the engine, which titles an axis holding a measure.
 * @param {Record<string, unknown>} config
 * @param {ReturnType<typeof import("../static/steps.js").display>} shown
 * @param {Room} was
 * @param {boolean} logo whether the chart shows the engine's logo
 * @returns {Room}
 */
function plotRoom(config, shown, was, logo) {
  const channels = channelsOf(config);
  /** @param {"x" | "y"} axis @param {"top" | "bottom"} side */
  const need = (axis, side) => {
    const channel = channels[axis];
    const names = seriesOn(channel);
    if (!channel || !names) return was[side];
    const title = channel.title;
    const titled = typeof title === "string" ? title !== "" : title !== null && names.some((name) => shown.isMeasure(name));
    if (titled) return ROOM.titled[side];
    if (channel.labels === false || !names.length) return ROOM.bare[side];
    return ROOM.labelled[side] + (logo && side === "bottom" ? LOGO_LINE : 0);
  };
  return { top: need("y", "top"), bottom: need("x", "bottom") };
}

// A date or year along x stays along x: time runs left to right.
const DATED = /^\d{4}(-\d\d){0,2}$/;

/**
 * A step's columns: the categories along its x (each dimension's, of the rows its
 * filter keeps) when it draws columns — rectangles rising from a dimension on x to a
 * measure on y, not in time — "other" for any other chart, null when it sets neither axis.
 * @param {Context} context
 * @param {Step | null} entry
 * @returns {string[][] | "other" | null}
 */
function columnsOf({ datasets, raw, shown, story }, entry) {
  const [x, y] = entry ? [steps.channelSeries(entry, "x"), steps.channelSeries(entry, "y")] : [null, null];
  if (!entry || (x === null && y === null)) return null;
  const { geometry = "rectangle", coordSystem = "cartesian" } = /** @type {Record<string, unknown>} */ (entry.config);
  const id = entry.data ?? "main";
  const data = datasets[id];
  if (!x?.length || !y?.some(shown.isMeasure) || x.some(shown.isMeasure) || geometry !== "rectangle" || coordSystem !== "cartesian") return "other";
  const keep = entry.filter ? steps.compileFilter(entry.filter, data, raw) : null;
  const columns = x.map((name) => steps.keyFor(name, data, story.placeholders?.[id] ?? null, keep, shown).entries.map((e) => e.label));
  return columns.some((labels) => labels.some((label) => DATED.test(label))) ? "other" : columns;
}

/**
 * Whether a narrow chart draws `entry`'s columns as bars: when the columns of any
 * step of its slide's run of column steps would not fit (their categories' names
 * side by side, or a value label over each), so a run turns together, never mid-slide.
 * @param {Context} context
 * @param {Track} on
 * @param {Step} entry
 */
function sideways(context, on, entry) {
  const at = on.entries.findIndex((e) => e?.config === entry.config);
  if (at < 0 || columnsOf(context, entry) === "other") return false;
  measuring ??= document.createElement("canvas").getContext("2d");
  if (!measuring) return false;
  measuring.font = "12px Roboto, sans-serif";
  // About the plot's width: the engine keeps room left of it for the value axis.
  const room = on.element.clientWidth - 90;
  /** @param {string[][]} columns */
  const fits = ([outer, ...inner]) => {
    const across = outer.length * inner.reduce((n, labels) => n * labels.length, 1);
    const widest = Math.max(0, ...outer.map((label) => /** @type {CanvasRenderingContext2D} */ (measuring).measureText(label).width));
    return room / outer.length >= widest && room / across >= 40;
  };
  /** @param {Step | null} e */
  const opens = (e) => context.story.slides.some((slide) => slide.steps[0] === e);
  /** @param {number} step */
  const run = (step) => {
    for (let j = at; j >= 0 && j < on.entries.length; j += step) {
      const entry = on.entries[j];
      if (step > 0 && j > at && opens(entry)) return false;
      const columns = columnsOf(context, entry);
      if (columns === "other") return false;
      if (columns && !fits(columns)) return true;
      if (step < 0 && opens(entry)) return false;
    }
    return false;
  };
  return run(-1) || run(1);
}

/**
 * `target` with x and y swapped: columns drawn as bars, the first category on top.
 * @param {Next["target"]} target
 * @returns {Next["target"]}
 */
function turn(target) {
  const config = /** @type {Record<string, any>} */ ({ ...target.config });
  const { x, y, ...rest } = config.channels ?? {};
  config.channels = { ...rest, ...(y === undefined ? {} : { x: y }), ...(x === undefined ? {} : { y: x }) };
  // As a bar chart's categories read (see the presets' `downward`): a sort by value keeps
  // its order, the largest at the top.
  if ("reverse" in config && config.sort !== "byValue") config.reverse = !config.reverse;
  return { ...target, config };
}

// A chart with nothing on either axis (a treemap, packed bubbles) keeps only this margin at
// its sides: the engine's room for axis labels left a phone's treemap two thirds of the width.
const BARE_SIDE = "0.75em";
/**
 * `target` with the plot's sides for what its axes hold after `entry`: a chart with no axis
 * takes the chart's width; so does, at its right, one whose columns (or a heatmap's cells)
 * stand on categories along x, each name and value label within its column's width; any
 * other keeps the engine's right margin (3.75em, for half a value axis's last number, or a
 * line's last label) unless the step sets one (room for the names at its lines' ends), as a
 * step's state is its own. A polar chart (a pie) keeps as much room on its right as on its
 * left, so its circle stands in the middle.
 * @param {Context} context
 * @param {Track} on
 * @param {Step} entry
 * @param {steps.Target} target the step's target, turned if a phone draws its columns as bars
 * @returns {steps.Target}
 */
function withPlotSides({ shown }, on, entry, target) {
  const axes = { ...(on.axes ?? { x: true, y: true }) };
  for (const axis of /** @type {const} */ (["x", "y"])) {
    const set = steps.channelSeries(entry, axis);
    if (set !== null) axes[axis] = set.length > 0;
  }
  on.axes = axes;
  const config = /** @type {Record<string, unknown>} */ (target.config ?? {});
  const along = seriesOn(channelsOf(config).x);
  const was = on.plane ?? { categories: false, geometry: "rectangle", polar: false };
  on.plane = {
    categories: along === null ? was.categories : along.length > 0 && !along.some((name) => shown.isMeasure(name)),
    geometry: typeof config.geometry === "string" ? config.geometry : was.geometry,
    polar: "coordSystem" in config ? config.coordSystem === "polar" : was.polar,
  };
  const style = /** @type {{ plot?: Record<string, unknown> }} */ (target.style ?? {});
  if (!axes.x && !axes.y) return { ...target, style: merge(style, { plot: { paddingLeft: BARE_SIDE, paddingRight: BARE_SIDE } }) };
  const { categories, geometry, polar } = on.plane;
  if (polar) {
    // A circle stands in the middle of its chart: as much room on its right as on its left
    // (the engine keeps more on the left, for a y axis a pie does not draw).
    const plot = /** @type {Record<string, unknown>} */ (style.plot ?? {});
    const left = plot.paddingLeft ?? BARE_SIDE;
    return { ...target, style: merge(style, { plot: { paddingLeft: left, paddingRight: plot.paddingRight ?? left } }) };
  }
  const columns = categories && geometry === "rectangle";
  return { ...target, style: merge({ plot: { paddingRight: columns ? BARE_SIDE : null } }, style) };
}

/**
 * `next`'s target with room at the left of the plot for the longest name on its y axis
 * (of any category of the first dimension `set` puts there, so the plot keeps still as
 * filters change), up to 40% of the chart: the engine's own room cut "United Kingdom" at
 * the canvas's edge. A step that leaves y as it was keeps it.
 * @param {Context} context
 * @param {Track} on
 * @param {string[] | null} set
 * @param {Next} next
 * @param {boolean} narrow
 */
function withAxisRoom({ datasets, shown }, on, set, next, narrow) {
  if (set === null) return next.target;
  // An axis holding a measure reads in numbers, whatever stacks along it.
  const dimension = set.some(shown.isMeasure) ? null : set[0];
  const labels = dimension ? steps.keyFor(dimension, datasets[next.dataset], null, null, shown).entries : [];
  measuring ??= document.createElement("canvas").getContext("2d");
  const size = narrow ? 12 : typeSize(on);
  let paddingLeft = null;
  if (measuring && labels.length) {
    measuring.font = `${size}px Roboto, sans-serif`;
    const widest = Math.max(...labels.map((entry) => /** @type {CanvasRenderingContext2D} */ (measuring).measureText(entry.label).width));
    const need = widest + 2 * size;
    if (need > 6.6 * size) paddingLeft = `${Math.round(Math.min(need, 0.4 * on.element.clientWidth))}px`;
  }
  return { ...next.target, style: merge(next.target.style ?? {}, { plot: { paddingLeft } }) };
}

/**
 * The engine's type size in pixels, once it has one (before its first frame it may not).
 * @param {Track} on
 */
function typeSize(on) {
  const computed = String(on.chart.getComputedStyle()?.fontSize ?? "");
  return computed.endsWith("px") ? Number.parseFloat(computed) : 14;
}

/**
 * `next`'s target with the track's key (see steps.keyFor) in place of the engine's legend:
 * the legend off, and room kept at the top of the plot for the key's rows.
 * @param {Context} context
 * @param {Track} on
 * @param {Step} entry
 * @param {Next} next
 * @param {boolean} narrow
 */
function withKey({ datasets, raw, shown }, on, entry, next, narrow) {
  const dimension = steps.keyDimension(entry, shown);
  const keyed = dimension === null ? on.keyDimension : dimension;
  const had = Boolean(on.keyDimension || on.scale);
  on.keyDimension = keyed;
  const data = datasets[next.dataset];
  // Stand-ins count: their marks keep a place, so a month nobody reported keeps the key of
  // the months around it (and the plot its height) instead of dropping it for a moment.
  const key = keyed ? steps.keyFor(keyed, data, null, compiled(both(on.filter, on.extra), data, raw), shown) : null;
  on.keySize = narrow ? 12 : steps.KEY.size;
  const target = { ...next.target };
  const config = /** @type {Record<string, unknown>} */ ({ ...(target.config ?? {}) });
  // A compact chart coloured by the categories along its axis names them there, not twice.
  const named = on.compact && Boolean(keyed) && onAxis(keyed, config, on.chart);
  // The key shown until now gives way to this one as the marks' colours do (see steps.drawKey).
  on.keyBefore = on.key;
  on.key = key && key.entries.length > 1 && !named ? key : null;
  // A chart coloured by a measure shows its scale in the key's place, the plot keeping its width.
  const measure = steps.scaleMeasure(entry, shown);
  const scaled = measure ?? on.scale ?? "";
  on.scale = scaled;
  if (!on.key && scaled) on.key = { dimension: "", entries: [], scale: scaled };
  if (on.key?.scale) config.legend = null;
  else if (keyed) config.legend = null;
  else if (had && !("legend" in config)) config.legend = "auto";
  target.config = /** @type {typeof target.config} */ (config);
  const room = on.key ? keyHeight(on.key, on.element.clientWidth, on.keySize) : 0;
  const fontSize = narrow ? 12 : typeSize(on);
  // Above the plot, the room its y axis needs (a value axis's title, else half a tick label),
  // not the engine's fixed 4.17em: a bar chart's plot starts under its key, not a band lower.
  on.room = plotRoom(config, shown, on.room, on.logo);
  const top = on.room.top;
  const paddingTop = room ? `${Math.round(top * fontSize + room)}px` : `${top}em`;
  const paddingBottom = on.compact ? `${on.room.bottom}em` : undefined;
  target.style = merge(target.style ?? {}, { plot: { paddingTop, ...(paddingBottom ? { paddingBottom } : {}) } });
  return target;
}

/** A canvas to measure a key's labels with. */
let measuring = /** @type {CanvasRenderingContext2D | null} */ (null);

/**
 * The height a key takes in a chart `width` wide.
 * @param {steps.Key} key
 * @param {number} width
 * @param {number} size
 */
function keyHeight(key, width, size) {
  measuring ??= document.createElement("canvas").getContext("2d");
  const context = measuring;
  if (!context) return 0;
  context.font = `${size}px Roboto, sans-serif`;
  // The plot's box starts after the chart's own left padding; the key keeps to it.
  return steps.layKey(key, width - 2 * steps.KEY_TOP, (text) => context.measureText(text).width, size).height + steps.KEY_TOP;
}

/**
 * The keyframes of a staged step (see steps.keyframes), null for a step played as one move.
 * @param {Context} context
 * @param {Next} next
 */
function keyframesOf({ story, datasets, plainMarks }, next) {
  return steps.keyframes(next, datasets[next.dataset], story.colors, plainMarks);
}

/**
 * Where a recording (a video) takes a transition: it starts paused on its first
 * frame, and `paused` is handed its control, the seconds it lasts and whether the
 * chart `grows` from nothing (its first entry), to seek through it and play it to
 * its end; the chart draws every frame, and comes to rest, with its own hooks, as
 * it does in front of a viewer.
 * @typedef {{ control: import("vizzu").AnimControl, seconds: number, grows: boolean }} Move
 * @typedef {(move: Move) => void} Paused
 */

/**
 * Play `entry` on the track (`options`: the animation's, 0 for none). A
 * recorded transition (`paused`) plays whatever the page's motion preference:
 * the viewer of a video is not the page's.
 * @param {Context} context
 * @param {Track} on
 * @param {Step} entry
 * @param {0 | { duration: number }} [options]
 * @param {Paused} [paused]
 */
async function apply(context, on, entry, options, paused) {
  const { reducedMotion } = context;
  on.leaving?.remove();
  const fading = !paused && options !== 0 && !reducedMotion.matches;
  /** @type {HTMLImageElement | null} */
  let leaving = null;
  if (on.renewable && clashes(context, on.dataset, entry.data ?? "main")) {
    // A new chart holds none of the old one's marks and would grow every mark from
    // nothing: the old chart's picture fades out over the new one, drawn at once.
    leaving = fading ? pictureOf(on) : null;
    await renew(context, on);
    // The new chart starts unfiltered: give it the filter the track is at.
    if (!("filter" in entry) && on.filter) entry = { ...entry, filter: on.filter };
  }
  const said = { moment: on.moment ?? null, note: on.momentNote ?? null };
  const next = targetFor(context, on, entry);
  // Nothing to follow mark by mark: the chart before fades out over the new one, drawn at
  // once, each whole and true at every moment (the engine's own fade shrinks some marks to
  // nothing before others, as if their values were none).
  if (!leaving && next.crossFade && fading && options === undefined) leaving = pictureOf(on);
  /** @type {Promise<void> | null} */
  let faded = null;
  if (leaving) {
    faded = dissolve(on, leaving, steps.durationSeconds(options ? options.duration : entry.animation?.duration) ?? 1);
    options = 0;
  }
  const moving = !(options === 0 || (reducedMotion.matches && !paused));
  holdMoment(on, said, moving);
  // A step played straight from the one before goes through its in-between states, if staged.
  const staged = moving && options === undefined ? keyframesOf(context, next) : null;
  on.staged = Boolean(staged);
  on.legs = staged ? steps.legsOf(next) : null;
  const pausing = paused ? { playState: /** @type {const} */ ("paused") } : {};
  // The marks the last frame drew are not at rest until a frame is drawn after this move ends.
  on.drawnAtRest = false;
  const running = staged
    ? animate(on.chart, staged, pausing)
    : animate(on.chart, next.target, moving ? { ...next.options, ...(options ?? {}), ...pausing } : 0);
  if (paused && moving) {
    // A refused step rejects the animation and is never activated: race the two.
    const control = await Promise.race([running.activated, running.then(() => undefined)]);
    // The seconds a step's transition takes (the engine's default: one), as the recorder's plan counts them.
    const seconds = steps.durationSeconds(options ? options.duration : entry.animation?.duration) ?? 1;
    if (control) paused({ control, seconds, grows: false });
  }
  await running;
  // A dissolve is over when the picture of the chart before is gone: until then the page
  // shows both charts, and nothing that waits for rest (a snapshot, the PDF) may take it.
  if (faded) await faded;
  // The engine may draw no frame once it says the move is complete (a cross-fade draws its
  // last before): the frame at rest is drawn here, so the move is over when what the chart
  // shows is (its labels at rest, the marks the explorer reads).
  redraw(on.chart);
  on.drawnAtRest = true;
  placeNote(on, context.shown);
}

/**
 * From one moment of a timeline to the next, the moment said in the plot and the values its
 * marks' labels show take turns (see steps.TURN): the moment left is said until half-way,
 * the one coming after. The track keeps the moment it leaves for the move (the chart lets it
 * go as the move completes); a jump says its moment at once.
 * @param {Track} on
 * @param {{ moment: string | null, note: string | null }} said the moment the track said before this step
 * @param {boolean} moving whether the step moves
 */
function holdMoment(on, said, moving) {
  const changes = moving && said.moment && on.moment && said.moment !== on.moment;
  on.momentLeaving = changes ? said : null;
}

/**
 * Bring a track to its entry at `k`: animated when it comes straight from
 * the entry before; otherwise replayed, without animation, from the last
 * entry that fixes the whole chart, so a jump never leaves it half-drawn.
 * A chart's first entry is drawn at once: from an empty chart the engine
 * would fade every mark in from nothing, through frames with no mark to see.
 * A recording (`paused`, see Paused) takes the last move paused, and a chart's
 * first entry too: a video shows the marks growing over the step's seconds.
 * @param {Context} context
 * @param {Track} on
 * @param {number} k
 * @param {{ instant?: boolean, paused?: Paused }} [options]
 */
async function show(context, on, k, { instant = false, paused } = {}) {
  const last = lastAt(on.entries, k);
  if (last < 0 || last === on.at) return;
  const fresh = on.at < 0;
  const direct = lastAt(on.entries, k - 1) === on.at;
  if (!direct) {
    let from = last;
    while (from > 0 && !on.entries[from]?.complete) from -= 1;
    for (let j = from; j < last; j += 1) {
      const entry = on.entries[j];
      if (entry) await apply(context, on, entry, 0);
    }
  }
  on.at = last;
  // A recorded chart grows in over its step's own time, as one move.
  const growing = { duration: steps.durationSeconds(on.entries[last]?.animation?.duration) ?? 1 };
  const options = instant || (fresh && !paused) ? 0 : fresh ? growing : direct ? undefined : { duration: 0.4 };
  const held = paused && fresh ? (/** @type {Move} */ move) => paused({ ...move, grows: true }) : paused;
  await apply(context, on, /** @type {Step} */ (on.entries[last]), options, held);
}

/**
 * The player's tracks, made and played with `context`.
 * @param {Context} context
 */
export function tracks(context) {
  return {
    /** @type {(element: HTMLElement, entries: (Step | null)[], options?: Hooks & { renewable?: boolean, compact?: boolean, logo?: boolean }) => Promise<Track>} */
    track: (element, entries, options) => track(context, element, entries, options),
    /** @type {(on: Track, entry: Step) => Next} */
    targetFor: (on, entry) => targetFor(context, on, entry),
    /** @type {(on: Track, entry: Step, options?: 0 | { duration: number }) => Promise<void>} */
    apply: (on, entry, options) => apply(context, on, entry, options),
    /** @type {(on: Track, k: number, options?: { instant?: boolean, paused?: Paused }) => Promise<void>} */
    show: (on, k, options) => show(context, on, k, options),
    /** @type {(on: Track) => Promise<void>} */
    renew: (on) => renew(context, on),
  };
}
