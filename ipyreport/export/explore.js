// @ts-check
// Exploring a chart without seeing it: the marks one by one from the keyboard,
// read out through a live region, and a series heard as tones.
//
// A chart takes the focus like any control (Tab). Enter starts exploring it:
// ← → move along its axis (or its categories, for a pie or a treemap; left to
// right for a scatter plot), ↑ ↓ across its series (the colours stacked or
// grouped at one place), Home and End to the first and last mark; each mark
// is ringed on the canvas, the others dim, and its categories and values are
// read in the story's words and formats. Escape stops. H plays the chart's
// main series as tones, low to high with the values, in the chart's order,
// each mark ringed and named as it sounds; H or Escape stops it. The story's
// own keys are never taken: only a chart being explored keeps the arrows.
// Whether a chart is being explored is the player's state (the store); the
// mark ringed and the tones heard are kept on the chart's track.

import * as steps from "../static/steps.js";
import { redraw } from "./tracks.js";
import { isolate } from "./words.js";

/** @typedef {import("./tracks.js").Track} Track */
/** @typedef {import("./tracks.js").Mark} Mark */
/** @typedef {import("./tracks.js").Chart} Chart */
/** @typedef {ReturnType<typeof import("../static/steps.js").display>} Shown */
/**
 * A chart's marks in the order the eye reads them: groups along its axis (by
 * the categories of dimension `first`), each group's marks across its series.
 * @typedef {{ groups: Mark[][], grouped: boolean, first: string | null }} Grid
 */
/** @typedef {{ x: number, y: number }} Point */
/** @typedef {Mark & { center: Point }} Placed */
/** @typedef {{ label: string, value: number, frequency: number, mark: Mark }} Sounded */

// Where each arrow moves: [along the axis, across the series].
/** @type {Record<string, [number, number]>} */
const MOVES = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

/**
 * The series names on a channel of the chart as it stands.
 * @param {Chart} chart
 * @param {string} channel
 * @returns {string[]}
 */
function seriesOn(chart, channel) {
  const channels = /** @type {Record<string, { set?: unknown } | null | undefined>} */ (chart.config?.channels ?? {});
  const set = channels[channel]?.set;
  const names = (Array.isArray(set) ? set : []).map((entry) => (typeof entry === "string" ? entry : entry?.name));
  return names.filter((name) => typeof name === "string" && name !== "");
}

/**
 * The measure a chart is about: the one on y, else x, else size.
 * @param {Chart} chart
 * @param {Mark | undefined} mark
 * @returns {string | undefined}
 */
function mainMeasure(chart, mark) {
  if (!mark) return undefined;
  const found = ["y", "x", "size"].flatMap((channel) => seriesOn(chart, channel)).find((name) => name in mark.values);
  return found ?? Object.keys(mark.values)[0];
}

/**
 * A pie's centre: its slices' centres lie on a circle around it (a least
 * squares fit; the plain mean leans towards the largest slice).
 * @param {Point[]} points
 * @returns {Point}
 */
function circleCenter(points) {
  const n = points.length;
  const mean = points.reduce((m, p) => ({ x: m.x + p.x / n, y: m.y + p.y / n }), { x: 0, y: 0 });
  if (n < 3) return mean;
  let [suu, svv, suv, suuu, svvv, suvv, svuu] = [0, 0, 0, 0, 0, 0, 0];
  for (const p of points) {
    const [u, v] = [p.x - mean.x, p.y - mean.y];
    suu += u * u;
    svv += v * v;
    suv += u * v;
    suuu += u * u * u;
    svvv += v * v * v;
    suvv += u * v * v;
    svuu += v * u * u;
  }
  const det = suu * svv - suv * suv;
  if (Math.abs(det) < 1e-9) return mean;
  const [a, b] = [(suuu + suvv) / 2, (svvv + svuu) / 2];
  return { x: mean.x + (a * svv - b * suv) / det, y: mean.y + (b * suu - a * suv) / det };
}

/** @param {Placed[]} group */
const middle = (group) => ({
  x: group.reduce((sum, mark) => sum + mark.center.x, 0) / group.length,
  y: group.reduce((sum, mark) => sum + mark.center.y, 0) / group.length,
});
/** @type {(a: Placed, b: Placed) => number} */
const byX = (a, b) => a.center.x - b.center.x;
/** @type {(a: Placed, b: Placed) => number} */
const byY = (a, b) => a.center.y - b.center.y;

/**
 * The groups of marks in reading order: along x or y by their middle,
 * clockwise from twelve on a polar chart, else in reading order (a treemap);
 * each group's marks across the axis.
 * @param {Placed[][]} groups
 * @param {"x" | "y" | null} axis
 * @param {boolean} polar
 * @param {Placed[]} marks
 */
function ordered(groups, axis, polar, marks) {
  const all = polar ? circleCenter(marks.map((mark) => mark.center)) : middle(marks);
  /** @param {Point} point */
  const angle = (point) => (Math.atan2(point.x - all.x, all.y - point.y) + 2 * Math.PI) % (2 * Math.PI);
  /** @type {(group: Placed[]) => number} */
  const place = polar
    ? (group) => angle(middle(group))
    : axis === "x"
      ? (group) => middle(group).x
      : axis === "y"
        ? (group) => middle(group).y
        : (group) => Math.round(middle(group).y / 24) * 1e5 + middle(group).x;
  const sorted = [...groups].sort((a, b) => place(a) - place(b));
  for (const group of sorted) group.sort(axis === "y" ? (a, b) => byX(a, b) || byY(a, b) : (a, b) => byY(a, b) || byX(a, b));
  return sorted;
}

/**
 * The chart's marks as a grid, in the order the eye reads them: groups
 * along the axis (the categories of the dimension drawn there: left to
 * right, or top to bottom for bars; clockwise from twelve for a pie;
 * reading order for a treemap), and within a group the marks across its
 * series (top to bottom in a stacked column). A scatter plot's marks are
 * read left to right, one by one.
 * @param {Track} on
 * @returns {Grid}
 */
function layout(on) {
  const marks = /** @type {Placed[]} */ (on.marks.filter((mark) => (mark.seen || mark.broken) && mark.center && Object.keys(mark.values).length));
  const one = () => ({ groups: [...marks].sort(byX).map((mark) => [mark]), grouped: false, first: null });
  if (!marks.length) return one();
  const config = on.chart.config;
  /** @param {string} name */
  const isDimension = (name) => name in marks[0].categories;
  const at = (/** @type {string} */ channel) => seriesOn(on.chart, channel);
  if (config.geometry === "circle" && at("x").some((name) => !isDimension(name))) return one();
  const axis = at("x").some(isDimension) ? "x" : at("y").some(isDimension) ? "y" : null;
  const names = [...at(axis ?? "x"), ...at("color"), ...at("lightness"), ...Object.keys(marks[0].categories)];
  const first = names.find(isDimension) ?? null;
  if (!first) return one();
  /** @type {Map<string, Placed[]>} */
  const groups = new Map();
  for (const mark of marks) {
    const group = groups.get(mark.categories[first]);
    if (group) group.push(mark);
    else groups.set(mark.categories[first], [mark]);
  }
  return { groups: ordered([...groups.values()], axis, config.coordSystem === "polar", marks), grouped: true, first };
}

/**
 * A measure's total over marks (missing values count as none).
 * @param {Mark[]} marks
 * @param {string} measure
 */
const totalOf = (marks, measure) =>
  marks.reduce((sum, mark) => sum + (Number.isFinite(mark.values[measure]) ? mark.values[measure] : 0), 0);

/**
 * Mark `m` of group `g` in words: its categories, values, its share of its
 * group (or of the total) and its place among the chart's marks.
 * @param {Shown} shown
 * @param {Track} on
 * @param {Grid} grid
 * @param {number} g
 * @param {number} m
 */
function describe(shown, on, grid, g, m) {
  const mark = grid.groups[g][m];
  const first = grid.first;
  const names = Object.keys(mark.categories).sort((a, b) => Number(b === first) - Number(a === first));
  const labels = names.map((name) => isolate(shown.label(name, mark.categories[name])));
  const values = Object.entries(mark.values).map(([name, value]) => `${isolate(shown.name(name))} ${shown.number(name, value)}`);
  let text = `${labels.join(", ")}${labels.length ? ": " : ""}${values.join(", ")}`;
  const measure = mainMeasure(on.chart, mark);
  const value = measure === undefined ? NaN : mark.values[measure];
  if (measure && !measure.includes("(") && grid.grouped && first && Number.isFinite(value)) {
    const within = grid.groups[g].length > 1;
    const pool = within ? grid.groups[g] : grid.groups.flat();
    const total = totalOf(pool, measure);
    if (pool.length > 1 && total > 0) {
      const whole = within ? isolate(shown.label(first, mark.categories[first])) : "the total";
      const percent = { ...shown.formatOf("count()"), suffix: "%", scales: [], always: false, fixed: 0, decimals: 0 };
      text += `, ${steps.formatNumber((value / total) * 100, percent)} of ${whole}`;
    }
  }
  const count = grid.groups.flat().length;
  const place = grid.groups.slice(0, g).reduce((n, group) => n + group.length, 0) + m + 1;
  return `${text} (${place} of ${count})`;
}

/**
 * Ring `mark` on the chart (null: none) and dim the others.
 * @param {Track} on
 * @param {HTMLElement} element the focusable chart the ring is drawn over
 * @param {Mark | null} mark
 */
function ring(on, element, mark) {
  let shape = /** @type {HTMLElement | null} */ (element.querySelector(".ipyreport-focus-ring"));
  if (!shape) {
    shape = document.createElement("div");
    shape.className = "ipyreport-focus-ring";
    shape.setAttribute("aria-hidden", "true");
    element.append(shape);
  }
  shape.hidden = !mark;
  on.ringed = mark ? mark.index : null;
  redraw(on.chart);
  if (!mark?.center) return;
  shape.style.left = `${mark.center.x}px`;
  shape.style.top = `${mark.center.y}px`;
}

/**
 * The tones a chart would play: one per place along its axis (the main
 * measure, summed across the series there), low to high with the values.
 * @param {Shown} shown
 * @param {Track} on
 * @returns {Sounded[]}
 */
function tonesOf(shown, on) {
  const grid = layout(on);
  const measure = mainMeasure(on.chart, grid.groups[0]?.[0]) ?? "";
  const values = grid.groups.map((group) => totalOf(group, measure));
  const low = Math.min(...values);
  const high = Math.max(...values);
  return grid.groups.map((group, i) => {
    const mark = group[0];
    const label =
      grid.grouped && grid.first
        ? shown.label(grid.first, mark.categories[grid.first])
        : Object.entries(mark.categories).map(([name, value]) => shown.label(name, value)).join(", ");
    const position = high > low ? (values[i] - low) / (high - low) : 0.5;
    // Two octaves, from 220 Hz (A3) to 880 Hz (A5).
    return { label, value: values[i], frequency: 220 * 2 ** (2 * position), mark };
  });
}

/**
 * Play `tones`, one every `gap` seconds, calling `onTone` as each sounds and
 * `onEnd` after the last; the sound's context and timers, to stop it.
 * @param {Sounded[]} tones
 * @param {(tone: Sounded) => void} onTone
 * @param {() => void} onEnd
 */
function sound(tones, onTone, onEnd) {
  const Context = window.AudioContext ?? /** @type {{ webkitAudioContext: typeof AudioContext }} */ (/** @type {unknown} */ (window)).webkitAudioContext;
  const context = new Context();
  const gap = 0.3; // seconds from one tone to the next
  const timers = tones.map((tone, i) => {
    const at = context.currentTime + 0.05 + i * gap;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = tone.frequency;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.2, at + 0.02);
    gain.gain.linearRampToValueAtTime(0, at + gap * 0.8);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + gap);
    return setTimeout(() => onTone(tone), (0.05 + i * gap) * 1000);
  });
  timers.push(setTimeout(onEnd, (0.1 + tones.length * gap) * 1000));
  return { context, timers };
}

/**
 * The place a move reaches on the grid: `dg` groups and `dm` marks from `at`
 * (kept inside the grid), or the first or last mark.
 * @param {Grid} grid
 * @param {[number, number] | null} at
 * @param {number} dg
 * @param {number} dm
 * @param {"first" | "last" | null} absolute
 * @returns {[number, number]}
 */
function reach(grid, at, dg, dm, absolute) {
  const groups = grid.groups;
  if (absolute === "first") return [0, 0];
  if (absolute === "last") return [groups.length - 1, groups[groups.length - 1].length - 1];
  const g = Math.min(Math.max((at?.[0] ?? 0) + dg, 0), groups.length - 1);
  return [g, Math.min(Math.max((at?.[1] ?? 0) + dm, 0), groups[g].length - 1)];
}

/** @typedef {{ on: Track, element: HTMLElement, at: [number, number] | null }} Explored */

// The longest a key waits for the chart to rest before it reads the marks anyway (a step
// moves for 1.5 s at most unless its author asks for longer).
const REST_WAIT_MS = 3000;

/**
 * Run `then` once the chart's last frame is drawn at rest (see tracks.js): the explorer
 * reads each mark where the last frame drew it, and a key pressed while the chart moves
 * (or as a move ends) would otherwise read the marks mid-move, out of their order at rest.
 * @param {Track} on
 * @param {() => void} then
 * @param {number} [until]
 */
function whenDrawnAtRest(on, then, until = performance.now() + REST_WAIT_MS) {
  if (on.drawnAtRest !== false || performance.now() >= until) then();
  else setTimeout(() => whenDrawnAtRest(on, then, until), 16);
}

/**
 * Move the mark explored on `target` (see reach), ring it and say it.
 * @param {Shown} shown
 * @param {(text: string) => void} say
 * @param {Explored} target
 * @param {number} dg
 * @param {number} dm
 * @param {"first" | "last" | null} absolute
 */
function moveOn(shown, say, target, dg, dm, absolute) {
  const grid = layout(target.on);
  if (!grid.groups.length) return say("This chart shows no marks.");
  const [g, m] = (target.at = reach(grid, target.at, dg, dm, absolute));
  ring(target.on, target.element, grid.groups[g][m]);
  say(describe(shown, target.on, grid, g, m));
}

/**
 * A key listener for the window that hands a key pressed on a chart to
 * `handle(event, chart)`, and keeps it from the page when handled. Keys are
 * read at the window, before the page's own handlers (a notebook's arrow-key
 * navigation would take them first), and only while a chart has the focus.
 * @param {(event: KeyboardEvent, element: HTMLElement) => boolean} handle
 */
function chartKeys(handle) {
  return (/** @type {KeyboardEvent} */ event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // Inside a shadow root the window sees the host as the target; the path has the chart.
    const origin = event.composedPath()[0];
    if (!(origin instanceof HTMLElement) || !handle(event, origin)) return;
    event.preventDefault();
    event.stopPropagation();
  };
}

/**
 * A sentence said through the live region (a fresh node each time, so a
 * repeated sentence is read again).
 * @param {HTMLElement} region
 * @param {string} text
 */
function speak(region, text) {
  region.textContent = "";
  const line = document.createElement("span");
  line.textContent = text;
  region.append(line);
}

/**
 * Hearing a chart: H plays its main series as tones, each mark ringed and
 * named as it sounds; H again (or Escape) stops it.
 * @param {Shown} shown
 * @param {(text: string) => void} say
 */
function hearing(shown, say) {
  /** @type {{ context: AudioContext, timers: ReturnType<typeof setTimeout>[], on: Track, element: HTMLElement } | null} */
  let heard = null;

  // Stop the sound: whether one was playing.
  function stop() {
    if (!heard) return false;
    for (const timer of heard.timers) clearTimeout(timer);
    heard.context.close().catch(() => {});
    ring(heard.on, heard.element, null);
    heard = null;
    return true;
  }

  /**
   * Play the track's chart as tones (or stop the sound playing).
   * @param {Track} on
   * @param {HTMLElement} element
   */
  function play(on, element) {
    if (stop()) return say("Sound stopped.");
    const tones = tonesOf(shown, on);
    on.tones = tones.map(({ label, value, frequency }) => ({ label, value, frequency }));
    if (!tones.length) return say("This chart shows no marks to play.");
    /** @param {Sounded} tone */
    const onTone = (tone) => {
      ring(on, element, tone.mark);
      say(`${isolate(tone.label)} ${shown.number(mainMeasure(on.chart, tone.mark) ?? "", tone.value)}`);
    };
    heard = { ...sound(tones, onTone, () => stop()), on, element };
  }

  return { play, stop };
}

/**
 * Exploring charts by keyboard: the chart elements attached can be reached
 * with Tab; Enter starts exploring one, the arrows, Home and End move, Escape stops.
 * @param {{
 *   store: import("./store.js").Store,
 *   shown: Shown,
 *   say: (text: string) => void,
 *   region: HTMLElement,
 *   quiet: () => unknown,
 * }} context
 */
function exploring({ store, shown, say, region, quiet }) {
  /** @type {Explored | null} */
  let current = null;
  /** @type {Map<HTMLElement, { getTrack: () => Track | undefined, name: () => string }>} */
  const attached = new Map();

  /** @type {(target: Explored, dg: number, dm: number, absolute?: "first" | "last" | null) => void} */
  const move = (target, dg, dm, absolute = null) =>
    whenDrawnAtRest(target.on, () => current === target && moveOn(shown, say, target, dg, dm, absolute));

  /**
   * @param {Track} on
   * @param {HTMLElement} element
   * @param {string} name
   */
  function begin(on, element, name) {
    quiet();
    const target = (current = { on, element, at: null });
    store.dispatch({ type: "exploring", exploring: true });
    whenDrawnAtRest(on, () => {
      if (current !== target) return;
      moveOn(shown, say, target, 0, 0, "first");
      say(`Exploring ${name}. Arrows move between marks, Escape stops. ${region.textContent}`);
    });
  }

  // Stop exploring: whether a chart was being explored.
  function stop() {
    if (!current) return false;
    ring(current.on, current.element, null);
    current = null;
    store.dispatch({ type: "exploring", exploring: false });
    return true;
  }

  /**
   * What a key does on the chart `element` with the focus: true when it was the explorer's.
   * @param {KeyboardEvent} event
   * @param {HTMLElement} element
   */
  function handle(event, element) {
    const entry = attached.get(element);
    const on = entry?.getTrack();
    if (!entry || !on) return false;
    const active = current?.element === element ? current : null;
    if (!active && event.key === "Enter") begin(on, element, entry.name());
    else if (active && event.key in MOVES) move(active, ...MOVES[event.key]);
    else if (active && (event.key === "Home" || event.key === "End")) move(active, 0, 0, event.key === "Home" ? "first" : "last");
    else if (active && event.key === "Escape") {
      stop();
      say("Stopped exploring.");
    } else return false;
    return true;
  }

  const onKey = chartKeys(handle);
  window.addEventListener("keydown", onKey, true);

  /**
   * Let the viewer Tab to `element` and explore the chart of the track `getTrack` gives.
   * @param {HTMLElement} element
   * @param {() => Track | undefined} getTrack
   * @param {() => string} name
   */
  function attach(element, getTrack, name) {
    element.tabIndex = 0;
    element.setAttribute("aria-roledescription", "chart");
    attached.set(element, { getTrack, name });
    element.addEventListener("focusout", () => {
      if (current?.element === element) stop();
    });
  }

  const destroy = () => {
    window.removeEventListener("keydown", onKey, true);
    attached.clear();
  };
  return { attach, stop, destroy };
}

/**
 * The explorer: exploring and hearing the charts attached to it.
 * @param {{
 *   root: HTMLElement,
 *   store: import("./store.js").Store,
 *   shown: Shown,
 * }} context
 */
export function explorer({ root, store, shown }) {
  const region = /** @type {HTMLElement} */ (root.querySelector(".ipyreport-live"));
  /** @param {string} text */
  const say = (text) => speak(region, text);
  const sound = hearing(shown, say);
  const keyboard = exploring({ store, shown, say, region, quiet: sound.stop });
  return {
    attach: keyboard.attach,
    play: sound.play,
    destroy: () => {
      sound.stop();
      keyboard.destroy();
    },
    // Stop exploring and the sound: whether either was running.
    stop: () => {
      const explored = keyboard.stop();
      return sound.stop() || explored;
    },
  };
}
