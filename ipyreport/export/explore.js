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

import * as steps from "../static/steps.js";
import { DIMMED } from "./tracks.js";
import { isolate } from "./words.js";

// Where each arrow moves: [along the axis, across the series].
const MOVES = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

/**
 * @param {{
 *   root: HTMLElement,
 *   store: import("./store.js").Store,
 *   shown: ReturnType<typeof import("../static/steps.js").display>,
 *   story: any,
 * }} context
 */
export function explorer({ root, store, shown, story }) {
  const region = root.querySelector(".ipyreport-live");
  const plain = shown.formatOf("count()");
  const percent = { ...plain, suffix: "%", scales: [], always: false, fixed: 0, decimals: 0 };
  /** @type {{ on: any, element: HTMLElement, at: number[] | null } | null} */
  let exploring = null;
  let sound = null; // { context, timers, on, element }

  function say(text) {
    region.textContent = "";
    // A fresh node each time, so a repeated sentence is read again.
    const line = document.createElement("span");
    line.textContent = text;
    region.append(line);
  }

  // The measure a chart is about: the one on y, else x, else size.
  function mainMeasure(chart, mark) {
    const channels = chart.config?.channels ?? {};
    for (const name of ["y", "x", "size"]) {
      for (const entry of channels[name]?.set ?? []) {
        const key = nameOf(entry);
        if (key && mark && key in mark.values) return key;
      }
    }
    return mark ? Object.keys(mark.values)[0] : undefined;
  }

  const nameOf = (entry) => (typeof entry === "string" ? entry : entry?.name);

  // A pie's centre: its slices' centres lie on a circle around it (a least
  // squares fit; the plain mean leans towards the largest slice).
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

  // The chart's marks as a grid, in the order the eye reads them: groups
  // along the axis (the categories of the dimension drawn there: left to
  // right, or top to bottom for bars; clockwise from twelve for a pie;
  // reading order for a treemap), and within a group the marks across its
  // series (top to bottom in a stacked column). A scatter plot's marks are
  // read left to right, one by one.
  function layout(track) {
    const marks = track.marks.filter((mark) => mark.seen && mark.center && Object.keys(mark.values).length);
    if (!marks.length) return { groups: [], grouped: false };
    const config = track.chart.config ?? {};
    const channels = config.channels ?? {};
    const on = (channel) => (channels[channel]?.set ?? []).map(nameOf).filter(Boolean);
    const isDimension = (name) => name in marks[0].categories;
    const polar = config.coordSystem === "polar";
    const byX = (a, b) => a.center.x - b.center.x;
    const byY = (a, b) => a.center.y - b.center.y;
    if (config.geometry === "circle" && on("x").some((name) => !isDimension(name))) {
      return { groups: [...marks].sort(byX).map((mark) => [mark]), grouped: false };
    }
    const axis = on("x").some(isDimension) ? "x" : on("y").some(isDimension) ? "y" : null;
    const first =
      [...on(axis ?? "x"), ...on("color"), ...on("lightness"), ...Object.keys(marks[0].categories)].find(isDimension) ??
      null;
    if (!first) return { groups: [...marks].sort(byX).map((mark) => [mark]), grouped: false };
    const groups = new Map();
    for (const mark of marks) {
      const key = mark.categories[first];
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(mark);
    }
    const middle = (group) => ({
      x: group.reduce((sum, mark) => sum + mark.center.x, 0) / group.length,
      y: group.reduce((sum, mark) => sum + mark.center.y, 0) / group.length,
    });
    const all = polar ? circleCenter(marks.map((mark) => mark.center)) : middle(marks);
    const angle = (point) => (Math.atan2(point.x - all.x, all.y - point.y) + 2 * Math.PI) % (2 * Math.PI);
    const place = polar
      ? (group) => angle(middle(group))
      : axis === "x"
        ? (group) => middle(group).x
        : axis === "y"
          ? (group) => middle(group).y
          : (group) => Math.round(middle(group).y / 24) * 1e5 + middle(group).x;
    const ordered = [...groups.values()].sort((a, b) => place(a) - place(b));
    for (const group of ordered) group.sort(axis === "y" ? (a, b) => byX(a, b) || byY(a, b) : (a, b) => byY(a, b) || byX(a, b));
    return { groups: ordered, grouped: true, first };
  }

  function describe(on, grid, g, m) {
    const mark = grid.groups[g][m];
    const names = Object.keys(mark.categories).sort((a, b) => Number(b === grid.first) - Number(a === grid.first));
    const labels = names.map((name) => isolate(shown.label(name, mark.categories[name])));
    const values = Object.entries(mark.values).map(([name, value]) => `${isolate(shown.name(name))} ${shown.number(name, value)}`);
    let text = `${labels.join(", ")}${labels.length ? ": " : ""}${values.join(", ")}`;
    const measure = mainMeasure(on.chart, mark);
    const additive = measure && !measure.includes("(");
    const value = mark.values[measure];
    if (additive && grid.grouped && Number.isFinite(value)) {
      const group = grid.groups[g];
      const within = group.length > 1;
      const pool = within ? group : grid.groups.flat();
      const total = pool.reduce((sum, other) => sum + (Number.isFinite(other.values[measure]) ? other.values[measure] : 0), 0);
      if (pool.length > 1 && total > 0) {
        const whole = within ? isolate(shown.label(grid.first, mark.categories[grid.first])) : "the total";
        text += `, ${steps.formatNumber((value / total) * 100, percent)} of ${whole}`;
      }
    }
    const count = grid.groups.flat().length;
    const place = grid.groups.slice(0, g).reduce((n, group) => n + group.length, 0) + m + 1;
    return `${text} (${place} of ${count})`;
  }

  function ring(on, element, mark) {
    let shape = element.querySelector(".ipyreport-focus-ring");
    if (!shape) {
      shape = document.createElement("div");
      shape.className = "ipyreport-focus-ring";
      shape.setAttribute("aria-hidden", "true");
      element.append(shape);
    }
    shape.hidden = !mark;
    on.ringed = mark ? mark.index : null;
    on.chart.feature.rendering.update();
    if (!mark) return;
    shape.style.left = `${mark.center.x}px`;
    shape.style.top = `${mark.center.y}px`;
  }

  function move(target, dg, dm, absolute = null) {
    const { on, element } = target;
    const grid = layout(on);
    if (!grid.groups.length) {
      say("This chart shows no marks.");
      return;
    }
    let [g, m] = target.at ?? [0, 0];
    if (absolute === "first") [g, m] = [0, 0];
    else if (absolute === "last") [g, m] = [grid.groups.length - 1, grid.groups.at(-1).length - 1];
    else {
      g = Math.min(Math.max(g + dg, 0), grid.groups.length - 1);
      m = Math.min(Math.max(m + dm, 0), grid.groups[g].length - 1);
    }
    target.at = [g, m];
    ring(on, element, grid.groups[g][m]);
    say(describe(on, grid, g, m));
  }

  function stop() {
    if (!exploring) return;
    ring(exploring.on, exploring.element, null);
    exploring = null;
    store.dispatch({ type: "exploring", exploring: false });
  }

  // Chart elements the viewer can Tab to and explore. Their keys are read at
  // the window, before the page's own handlers (a notebook's arrow-key
  // navigation would take them first), and only while a chart has the focus.
  const attached = new Map(); // element -> { getTrack, name }
  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // Inside a shadow root the window sees the host as the target; the path has the chart.
    const origin = event.composedPath()[0];
    const element = origin instanceof HTMLElement ? origin : null;
    const entry = element && attached.get(element);
    if (!entry) return;
    const on = entry.getTrack();
    if (!on) return;
    const active = exploring?.element === element;
    if (!active && event.key === "Enter") {
      stopSound();
      exploring = { on, element, at: null };
      store.dispatch({ type: "exploring", exploring: true });
      move(exploring, 0, 0, "first");
      say(`Exploring ${entry.name()}. Arrows move between marks, Escape stops. ${region.textContent}`);
    } else if (active && event.key in MOVES) {
      move(exploring, ...MOVES[event.key]);
    } else if (active && (event.key === "Home" || event.key === "End")) {
      move(exploring, 0, 0, event.key === "Home" ? "first" : "last");
    } else if (active && event.key === "Escape") {
      stop();
      say("Stopped exploring.");
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }
  window.addEventListener("keydown", onKey, true);

  function attach(element, getTrack, name) {
    element.tabIndex = 0;
    element.setAttribute("aria-roledescription", "chart");
    attached.set(element, { getTrack, name });
    element.addEventListener("focusout", () => {
      if (exploring?.element === element) stop();
    });
  }

  // --- hearing a series ---------------------------------------------------

  function stopSound() {
    if (!sound) return false;
    for (const timer of sound.timers) clearTimeout(timer);
    sound.context.close().catch(() => {});
    ring(sound.on, sound.element, null);
    sound = null;
    return true;
  }

  // The tones a chart would play: one per place along its axis (the main
  // measure, summed across the series there), low to high with the values.
  function tonesOf(on) {
    const grid = layout(on);
    const marks = grid.groups.map((group) => group[0]);
    const measure = mainMeasure(on.chart, marks[0]);
    const values = grid.groups.map((group) =>
      group.reduce((sum, mark) => sum + (Number.isFinite(mark.values[measure]) ? mark.values[measure] : 0), 0),
    );
    const low = Math.min(...values);
    const high = Math.max(...values);
    return grid.groups.map((group, i) => {
      const mark = group[0];
      const label = grid.grouped
        ? shown.label(grid.first, mark.categories[grid.first])
        : Object.entries(mark.categories).map(([name, value]) => shown.label(name, value)).join(", ");
      const position = high > low ? (values[i] - low) / (high - low) : 0.5;
      // Two octaves, from 220 Hz (A3) to 880 Hz (A5).
      return { label, value: values[i], frequency: 220 * 2 ** (2 * position), mark };
    });
  }

  function play(on, element) {
    if (stopSound()) {
      say("Sound stopped.");
      return;
    }
    const tones = tonesOf(on);
    on.tones = tones.map(({ label, value, frequency }) => ({ label, value, frequency }));
    if (!tones.length) {
      say("This chart shows no marks to play.");
      return;
    }
    const AudioContext = window.AudioContext ?? /** @type {any} */ (window).webkitAudioContext;
    const context = new AudioContext();
    const gap = 0.3; // seconds from one tone to the next
    sound = { context, timers: [], on, element };
    tones.forEach((tone, i) => {
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
      sound.timers.push(
        setTimeout(() => {
          ring(on, element, tone.mark);
          say(`${isolate(tone.label)} ${shown.number(mainMeasure(on.chart, tone.mark), tone.value)}`);
        }, (0.05 + i * gap) * 1000),
      );
    });
    sound.timers.push(setTimeout(() => stopSound(), (0.1 + tones.length * gap) * 1000));
  }

  return {
    attach,
    play,
    destroy: () => {
      stopSound();
      window.removeEventListener("keydown", onKey, true);
      attached.clear();
    },
    stop: () => {
      const was = Boolean(exploring) || Boolean(sound);
      stop();
      stopSound();
      return was;
    },
    exploring: () => Boolean(exploring),
  };
}
