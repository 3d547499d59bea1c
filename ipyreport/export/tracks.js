// Tracks: a chart engine and the entries it plays (null where it holds), with
// the state it is in, so any track can be brought to any step. The main chart,
// each dashboard chart and the presenter's preview are tracks.

import * as steps from "../static/steps.js";
import { NARROW, NARROW_PX, merge } from "./look.js";

export const DIMMED = 0.3; // opacity of marks a highlight (or a dashboard click) does not pick

// The last entry at or before `k` that a track plays (-1: none yet).
export function lastAt(entries, k) {
  for (let j = Math.min(k, entries.length - 1); j >= 0; j -= 1) if (entries[j]) return j;
  return -1;
}

export const both = (a, b) => (a && b ? { and: [a, b] } : a ?? b ?? null);

/**
 * What the player makes tracks with: the story and everything read from it once.
 * @param {{
 *   Vizzu: typeof import("vizzu").default,
 *   store: import("./store.js").Store,
 *   story: any,
 *   shown: ReturnType<typeof import("../static/steps.js").display>,
 *   datasets: object,
 *   raw: Map<string, Function>,
 *   baseStyle: object,
 *   plainMarks: string | null,
 *   reducedMotion: MediaQueryList,
 *   ink: { ink: string, paper: string },
 * }} context
 */
export function tracks({ Vizzu, store, story, shown, datasets, raw, baseStyle, plainMarks, reducedMotion, ink }) {
  // The mark under the pointer, in words and the story's formats (the
  // engine's own tooltip would write 323764017.77).
  function tooltip(chart, element) {
    const tip = document.createElement("div");
    tip.className = "ipyreport-tip";
    tip.setAttribute("aria-hidden", "true"); // the data table and descriptions say it for everyone
    tip.hidden = true;
    element.append(tip);
    chart.on("pointermove", (event) => {
      const target = event.target;
      const marker = target?.tagName === "plot-marker" ? target : target?.tagName === "plot-marker-label" ? target.parent : null;
      if (!marker) {
        tip.hidden = true;
        return;
      }
      const lines = [
        ...Object.entries(marker.categories ?? {}).map(([name, value]) => `${shown.name(name)}: ${shown.label(name, value)}`),
        ...Object.entries(marker.values ?? {}).map(
          ([name, value]) => `${shown.name(name)}: ${chart.missing(marker, name) ? "no data" : shown.number(name, value)}`,
        ),
      ];
      tip.textContent = lines.join("\n");
      tip.hidden = false;
      const { x, y } = event.detail.position;
      const room = element.clientWidth;
      tip.style.left = `${Math.min(x + 14, Math.max(0, room - tip.offsetWidth - 4))}px`;
      tip.style.top = `${Math.max(0, y - tip.offsetHeight - 10)}px`;
    });
    chart.on("pointerleave", () => {
      tip.hidden = true;
    });
  }
  /**
   * A chart engine in `element`, with the story's labels, highlight and click handling.
   * @param {HTMLElement} element
   * @param {(marker: { categories: object, values: object }) => void} [onClick]
   * @param {{ beforeLabel?: (event: any) => void }} [options]
   * @returns {Promise<any>}
   */
  async function makeChart(element, onClick, { beforeLabel } = {}) {
    // The engine's event names are typed as an enum its JavaScript users cannot
    // name, and the player keeps its own state on the chart: so `any` here.
    /** @type {any} */
    const chart = await new Vizzu(element).initializing;
    store.dispatch({ type: "engines", by: 1 });
    steps.followMissing(chart);
    // A step's highlight: the marks it does not point at dim (their labels too),
    // and the tops of those it does are kept for placing its note.
    chart.pointing = null;
    let tops = [];
    chart.pointedAt = [];
    const pointedOut = (marker) =>
      chart.pointing && marker && !chart.pointing.test({ ...marker.categories, ...marker.values });
    chart.on("draw-begin", () => {
      tops = [];
    });
    chart.on("plot-marker-draw", (event) => {
      if (!chart.pointing) return;
      if (pointedOut(event.target)) event.renderingContext.globalAlpha *= DIMMED;
      else tops.push(event.target.position?.top);
    });
    chart.on("draw-complete", () => {
      chart.pointedAt = tops.filter(Boolean);
    });
    // The marks of the last frame drawn, for exploring by keyboard; a mark
    // being explored keeps its colour while the others dim.
    chart.exploring = null;
    chart.marks = [];
    let drawing = [];
    chart.on("draw-begin", () => {
      drawing = [];
    });
    chart.on("plot-marker-draw", (event) => {
      const marker = event.target;
      if (chart.exploring !== null && marker.index !== chart.exploring) event.renderingContext.globalAlpha *= DIMMED;
      // A mark filtered out is drawn invisibly while it fades.
      if (event.renderingContext.globalAlpha <= 0.01) return;
      const { categories, values, index, position } = marker;
      drawing.push({ categories: { ...categories }, values: { ...values }, index, center: position?.center });
    });
    chart.on("draw-complete", () => {
      chart.marks = drawing;
    });
    steps.readableLabels(chart, shown, {
      ...ink,
      before: (event) => {
        if (pointedOut(event.target.parent)) event.renderingContext.globalAlpha *= DIMMED;
        beforeLabel?.(event);
      },
    });
    chart.note = document.createElement("p");
    chart.note.className = "ipyreport-note";
    chart.note.setAttribute("role", "note");
    chart.note.hidden = true;
    element.append(chart.note);
    // The engine's logo opens the vendor's web page: a network request.
    chart.on("click", (event) => {
      if (event.target?.tagName === "logo") event.preventDefault();
      else if (event.target?.tagName === "plot-marker") {
        const { categories, values } = event.target;
        onClick?.({ categories: { ...categories }, values: { ...values } });
      }
    });
    if (story.tooltips !== false) tooltip(chart, element);
    return chart;
  }

  /**
   * A track: a chart, its entries and the state it is in. `remake` makes a
   * fresh chart in the same place, for a move the engine cannot animate.
   * @param {any} chart
   * @param {any[]} entries
   * @param {(() => Promise<any>) | null} [remake]
   */
  const track = (chart, entries, remake = null) => ({ chart, entries, at: -1, dataset: null, filter: null, styled: false, extra: null, remake });

  // Whether moving from dataset `from` to `to` changes the kind of a series
  // both hold (a year that is a measure in the data and a dimension in a
  // timeline's own table): the engine keeps every series it was given and
  // refuses a second one of the same name, so such a move needs a new chart.
  function clashes(from, to) {
    if (from === null || from === to) return false;
    const kinds = new Map(datasets[from].series.map((s) => [s.name, s.type]));
    return datasets[to].series.some((s) => kinds.has(s.name) && kinds.get(s.name) !== s.type);
  }

  // A fresh chart in the track's place (the track keeps its entries and position).
  async function renew(on) {
    const element = on.chart.note.parentElement;
    try {
      on.chart.detach();
    } catch {
      // already unusable: the new chart replaces it either way
    }
    store.dispatch({ type: "engines", by: -1 });
    element.replaceChildren();
    on.chart = await on.remake();
    Object.assign(on, { dataset: null, styled: false });
  }
  // The animate() target for `entry` on `track`, with the track's state moved on.
  function targetFor(on, entry) {
    if ("filter" in entry) on.filter = entry.filter;
    if (on.board) on.extra = on.board.filterFor(on, entry.data ?? "main");
    const step = on.extra ? { ...entry, filter: both(on.filter, on.extra) } : entry;
    const next = steps.stepTarget(step, datasets, on.dataset, raw);
    next.target = steps.withColors(next.target, entry, datasets[next.dataset], story.colors, plainMarks);
    on.dataset = next.dataset;
    // Which marks of the state coming hold no value (placeholders, nulls).
    const rule = both(on.filter, on.extra);
    const data = datasets[next.dataset];
    on.chart.expect(
      steps.reported(data, story.placeholders?.[next.dataset] ?? null, rule ? steps.compileFilter(rule, data, raw) : null),
    );
    // A step naming its series at their ends labels only each one's last point.
    on.chart.ends = entry.ends
      ? steps.seriesEnds(data, story.placeholders?.[next.dataset] ?? null, rule ? steps.compileFilter(rule, data, raw) : null)
      : null;
    const pointing = entry.highlight;
    on.chart.pointing = pointing
      ? { test: steps.compileFilter(pointing.filter, datasets[next.dataset], raw), note: pointing.note }
      : null;
    on.chart.note.dataset.shown = "false";
    if (!on.styled) {
      const narrow = on.chart.note.parentElement.clientWidth < NARROW_PX;
      next.target.style = merge(narrow ? merge(baseStyle, NARROW) : baseStyle, next.target.style ?? {});
      on.styled = true;
    }
    return next;
  }

  async function apply(on, entry, options) {
    if (on.remake && clashes(on.dataset, entry.data ?? "main")) {
      await renew(on);
      // The new chart starts unfiltered: give it the filter the track is at.
      if (!("filter" in entry) && on.filter) entry = { ...entry, filter: on.filter };
    }
    const next = targetFor(on, entry);
    const animation = reducedMotion.matches || options === 0 ? 0 : { ...next.options, ...(options ?? {}) };
    await on.chart.animate(next.target, animation);
    placeNote(on.chart);
  }

  // The note of a highlighted step, just above and right of the highest
  // mark it points at, kept inside the chart.
  function placeNote(chart) {
    const note = chart.note;
    const text = chart.pointing?.note;
    note.hidden = !text;
    if (!text) return;
    note.textContent = text;
    const box = note.parentElement.getBoundingClientRect();
    const top = chart.pointedAt.reduce((best, point) => (!best || point.y < best.y ? point : best), null);
    const anchor = top ?? { x: box.width / 2, y: box.height / 3 };
    const [width, height] = [note.offsetWidth, note.offsetHeight];
    let x = anchor.x + 12;
    if (x + width > box.width - 8) x = Math.max(8, anchor.x - width - 12);
    // Clear of the mark's own value label above it.
    const y = Math.min(Math.max(8, anchor.y - height - 28), box.height - height - 8);
    note.style.left = `${x}px`;
    note.style.top = `${y}px`;
    note.dataset.shown = "true";
  }

  // Bring a track to its entry at `k`: animated when it comes straight from
  // the entry before; otherwise replayed, without animation, from the last
  // entry that fixes the whole chart, so a jump never leaves it half-drawn.
  async function show(on, k, { instant = false } = {}) {
    const last = lastAt(on.entries, k);
    if (last < 0 || last === on.at) return;
    const direct = lastAt(on.entries, k - 1) === on.at;
    if (!direct) {
      let from = last;
      while (from > 0 && !on.entries[from]?.complete) from -= 1;
      for (let j = from; j < last; j += 1) if (on.entries[j]) await apply(on, on.entries[j], 0);
    }
    on.at = last;
    await apply(on, on.entries[last], instant ? 0 : direct ? undefined : { duration: 0.4 });
  }

  return { makeChart, track, targetFor, apply, show, renew };
}
