// @ts-check
// The ipyreport story player: plays a story's slides and steps in a Vizzu chart.
//
// Keys: → ↓ PageDown Space next · ← ↑ PageUp back · Home End · P play/pause ·
// F fullscreen · T data table · S presenter view · I how it was made · H hear
// the chart · Enter on a focused chart explores its marks (see explore.js). The URL hash (#3 or #3.2)
// follows the slide and step, and opening such a link starts there.
// Every text from the story goes in through textContent, never as markup.
//
// Ordinary slides all play on one chart, which morphs from slide to slide.
// A dashboard slide brings two to four charts of its own, laid out in a
// grid; they step together, and a click on a mark filters the other charts
// to its categories (Escape, the Clear button or a second click undoes it).
// Each chart is a "track": the entries it plays (null where it holds) and
// the state it is in, so any track can be brought to any step.
//
// This module wires the player: one store (store.js) holds its state, moves
// change it, and controllers with one lifecycle (mount, update(state,
// previous), destroy) render from it, one job each: the slide's chrome
// (chrome.js), the data tables (tables.js), how it was made (info.js), the
// presenter (presenter.js), keys, panels, play mode and the URL
// (controllers.js); sound (sound.js) and pictures for PDF and video
// (capture.js) are asked for. The stage is tracks.js (chart engines and what
// they play) and board.js (dashboards and cross-filters); look.js (themes,
// brand) and words.js (text made safe); ../static/steps.js turns steps into
// engine calls and draws labels in the story's formats. All are bundled into
// one file at build time (hatch_build.py).

import * as steps from "../static/steps.js";
import { dashboards } from "./board.js";
import { capturing } from "./capture.js";
import { controls, headline, isBoard, isCover, part } from "./chrome.js";
import { keys, location, panels, play, positionOf } from "./controllers.js";
import { explorer } from "./explore.js";
import { info } from "./info.js";
import { BACKGROUND, INK, SOFT_INK, THEMES, PLAIN_MARKS, merge, applyBrand } from "./look.js";
import { presenter } from "./presenter.js";
import { sound } from "./sound.js";
import { createStore, enginesOnPage, letGo, register } from "./store.js";
import { dataTables } from "./tables.js";
import { tracks } from "./tracks.js";

/** @typedef {import("./document").StoryDocument} StoryDocument */
/** @typedef {import("./controllers.js").Controller} Controller */
/** @typedef {import("./controllers.js").Position} Position */
/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Where} Where */
/** @typedef {import("./tracks.js").Track} Track */
/** @typedef {import("./tracks.js").Chart} Chart */
/** @typedef {ReturnType<typeof tracks>} Engines */
/** @typedef {ReturnType<typeof dashboards>} Dashboards */
/** @typedef {ReturnType<typeof explorer>} Explorer */
/** @typedef {ReturnType<typeof sound>} Hearing */
/** @typedef {ReturnType<typeof capturing>} Pictures */
/** @typedef {ReturnType<typeof moves>} Moves */
/** @typedef {ReturnType<typeof steps.display>} Shown */
/** @typedef {{ categories: object, values: object, chart: number | null }} ClickedMark */
/**
 * What a host, a test or the PDF and video makers give the player (see `start`).
 * @typedef {{
 *   Vizzu: typeof import("vizzu").default,
 *   story: StoryDocument,
 *   root: HTMLElement & { ipyreport?: PlayerApi },
 *   hash?: boolean,
 *   page?: boolean,
 *   start?: { slide: number, step: number } | null,
 *   onShown?: (where: { index: number, slide: number, step: number }) => void,
 *   onPlaying?: (playing: boolean) => void,
 *   onMarkerClick?: (marker: ClickedMark) => void,
 *   onSelection?: (where: Where) => void,
 * }} Options
 */

/**
 * Every step of the story in playing order, as slide and step.
 * @param {StoryDocument} story
 */
function flatten(story) {
  /** @type {Position[]} */
  const positions = [];
  story.slides.forEach((slide, s) => slide.steps.forEach((_, k) => positions.push({ slide: s, step: k })));
  return positions;
}

// Finish a chart's running animation at once; with none running there is
// nothing to finish, and the queued target is handled right after.
/** @param {Chart} chart */
function finishNow(chart) {
  try {
    chart.animation.seek("100%");
  } catch {
    // no animation running
  }
}

// What the player reads from the story once (its data, filters, theme and
// formats), and the chart engines it plays on (tracks.js).
/** @param {Pick<Options, "Vizzu" | "story" | "root"> & { store: Store }} context */
async function stage({ Vizzu, story, root, store }) {
  const allEntries = story.slides.flatMap((slide) =>
    isCover(slide) ? [] : isBoard(slide) ? slide.steps.flatMap((frame) => frame.charts.filter((chart) => chart !== null)) : slide.steps,
  );
  const datasets = Object.fromEntries(
    Object.entries(story.datasets).map(([key, data]) => [key, steps.prepareData(data, story.placeholders?.[key])]),
  );
  const raw = await steps.loadRawFilters(allEntries);
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");
  const theme = story.theme === "auto" || !story.theme ? (darkScheme.matches ? "dark" : "light") : story.theme;
  root.dataset.theme = theme;
  await applyBrand(root, story.brand);
  // The theme and the story's style go out with a chart's first step,
  // so the first frame is already the finished one.
  const baseStyle = merge(merge(THEMES[theme], steps.PLAIN_NUMBER_STYLE), story.style ?? {});
  const shown = steps.display(story);
  // Marks that mean no category, when categories own the palette's colours.
  const plainMarks = Object.keys(story.colors ?? {}).length ? PLAIN_MARKS[theme] : null;
  const ink = {
    ink: story.brand?.foreground ?? INK[theme],
    paper: story.brand?.background ?? BACKGROUND[theme],
    soft: story.brand?.foreground ?? SOFT_INK[theme],
  };
  const engines = tracks({ Vizzu, store, story, shown, datasets, raw, baseStyle, plainMarks, reducedMotion, ink });
  return { datasets, raw, reducedMotion, shown, engines };
}

/** A recording takes every chart's move paused (see tracks.js). @typedef {{ paused?: (on: Track) => import("./tracks.js").Paused }} Recording */
/**
 * Start drawing position `target` (its dashboard made on first visit): each
 * chart it shows, and the promise of that chart being there.
 * @param {{ store: Store, story: StoryDocument, positions: Position[], main: Track, engines: Engines, board: Dashboards }} context
 * @param {number} target
 * @param {Recording} [recording]
 */
async function begin({ store, story, positions, main, engines, board }, target, { paused } = {}) {
  const { slide: s, step: k } = positions[target];
  const made = isBoard(story.slides[s]) ? await board.boardFor(s) : null;
  store.dispatch({ type: "arrived", index: target });
  const shown = made ? made.tracks : isCover(story.slides[s]) ? [] : [main];
  const at = made ? k : target;
  return { made, drawing: shown.map((on) => ({ on, there: engines.show(on, at, { paused: paused?.(on) }) })) };
}

// Moves: where the story goes. `go(target)` (0-based) resolves once the
// player rests: the target on screen, or (when the viewer asked for another
// place meanwhile) the last place asked for.
/**
 * @param {{
 *   store: Store,
 *   story: StoryDocument,
 *   positions: Position[],
 *   main: Track,
 *   engines: Engines,
 *   board: Dashboards,
 *   explore: Explorer,
 * }} context
 */
function moves({ store, story, positions, main, engines, board, explore }) {
  const running = () => [main, ...(board.currentBoard()?.tracks ?? [])];

  // A step the engine refused: say so on that step, and start the main chart
  // again (a refused animation leaves it unusable), so the next step plays.
  /** @param {unknown} error */
  async function refused(error) {
    const message = `This step could not be drawn (${reason(error)}). The story goes on with the next step.`;
    store.dispatch({ type: "refused", message });
    const s = positions[store.state.index].slide;
    if (isBoard(story.slides[s])) {
      // The dashboard is made again, from its first step, on the next move to it.
      const made = board.boards.get(s);
      letGo(store, (made?.tracks ?? []).map((on) => on.chart));
      made?.element.remove();
      board.boards.delete(s);
      return;
    }
    await engines.renew(main);
    Object.assign(main, { at: -1, filter: null, extra: null });
  }

  /** @type {(target: number, recording?: Recording) => ReturnType<typeof begin>} */
  const starting = (target, recording) => begin({ store, story, positions, main, engines, board }, target, recording);

  // Draw position `target`, saying so on screen if the engine refuses it.
  /** @param {number} target */
  async function draw(target) {
    explore.stop();
    try {
      const { made, drawing } = await starting(target);
      await Promise.all(drawing.map(({ there }) => there));
      if (made?.selection) board.describeBoard(made);
    } catch (error) {
      if (store.state.destroyed) return; // its view closed while it drew: nobody to tell
      console.error("ipyreport: could not show this step", error);
      await refused(error);
    }
  }

  /**
   * @param {number} target
   * @returns {Promise<void>}
   */
  async function go(target) {
    if (store.state.destroyed) return;
    target = Math.max(0, Math.min(positions.length - 1, target));
    if (store.state.moving) {
      // A fast key press finishes the running animation at once, then
      // goes where the viewer asked; it never stacks up or gets stuck.
      store.dispatch({ type: "queued", target });
      for (const on of running()) finishNow(on.chart);
      return store.idle();
    }
    if (target === store.state.index) return store.idle();
    store.dispatch({ type: "moving" });
    /** @type {number | null} */
    let next = target;
    while (next !== null && !store.state.destroyed) {
      if (store.state.pending !== null) store.dispatch({ type: "dequeued" });
      if (next !== store.state.index) await draw(next);
      next = store.state.pending;
    }
    store.dispatch({ type: "rested" });
    return store.idle();
  }

  // Relative moves count from where the viewer is heading, so three quick
  // presses move three steps even while an animation runs.
  const here = () => store.state.pending ?? store.state.index;
  return { go, begin: starting, refused, running, forward: () => go(here() + 1), back: () => go(here() - 1) };
}

/**
 * Why a step could not be drawn: the error's message, or what was thrown.
 * @param {unknown} error
 */
function reason(error) {
  const message = typeof error === "object" && error !== null && "message" in error ? error.message : null;
  return message ?? error;
}

/**
 * The cross-filter of the dashboard in view ({} for none).
 * @param {State} state
 * @param {Position[]} positions
 * @returns {Where}
 */
function selectionIn(state, positions) {
  return state.index < 0 ? {} : state.selections[positions[state.index].slide]?.where ?? {};
}

/**
 * Selection: the host hears of the cross-filter in view as a move changes it
 * (board.js tells it when a dashboard's charts are filtered).
 * @param {{ positions: Position[], onSelection?: (where: Where) => void }} context
 * @returns {Controller}
 */
function announcer({ positions, onSelection }) {
  return {
    update(state, previous) {
      if (state.index === previous.index) return;
      const where = selectionIn(state, positions);
      if (JSON.stringify(where) !== JSON.stringify(selectionIn(previous, positions))) onSelection?.(where);
    },
  };
}

/**
 * The controllers, each with one job, in the order they render a change.
 * @param {Pick<Options, "root" | "story" | "onShown" | "onPlaying" | "onSelection"> & {
 *   page: boolean,
 *   hash: boolean,
 *   store: Store,
 *   positions: Position[],
 *   shown: Shown,
 *   board: Dashboards,
 *   move: Moves,
 *   explore: Explorer,
 *   hearing: Hearing,
 *   preview: (element: HTMLElement) => Promise<Track>,
 *   show: Engines["show"],
 * }} context
 * @returns {Controller[]}
 */
function controllersOf({ root, page, hash, store, story, positions, shown, board, move, explore, hearing, preview, show, onShown, onPlaying, onSelection }) {
  const { go, forward, back } = move;
  const onKey = (/** @type {KeyboardEvent} */ event) => keyboard.onKey(event);
  const presenting = presenter({ root, store, story, positions, page, preview, show, back, forward, onKey });
  const keyboard = keys({
    root,
    page,
    store,
    positions,
    commands: {
      go,
      forward,
      back,
      // A refused request (from the presenter's window, say) changes nothing.
      fullscreen: () => (document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen?.())?.catch?.(() => {}),
      presenter: () => presenting.toggle(),
      hear: () => hearing.hear(),
      stopExploring: () => explore.stop(),
      filtered: () => Boolean(board.currentBoard()?.selection),
      clearFilter: () => {
        const shown = board.currentBoard();
        if (shown) board.select(shown, null);
      },
    },
  });
  return [
    board, // a dashboard's cross-filter, from the store
    controls({ root, story, positions, boards: board.boards, back, forward, onShown }),
    headline({ root, positions }),
    dataTables({ root, story, positions, shown, boards: board.boards, boardTables: board.boardTables }),
    info({ root, story, positions }),
    presenting,
    announcer({ positions, onSelection }),
    keyboard,
    panels({ root, store }),
    play({ root, store, story, positions, go, onPlaying }),
    ...(hash ? [location({ story, positions, go })] : []),
  ];
}

// What a host, a test or the PDF and video makers call on a player (root.ipyreport).
/**
 * @param {{
 *   store: Store,
 *   positions: Position[],
 *   main: Track,
 *   move: Moves,
 *   board: Dashboards,
 *   hearing: Hearing,
 *   pictures: Pictures,
 *   destroy: () => void,
 * }} context
 */
function playerApi({ store, positions, main, move, board, hearing, pictures, destroy }) {
  return {
    destroy,
    go: move.go,
    ...pictures,
    // The labels each chart in view drew in its last frame: [{group, box, text}] per chart.
    labels: () => move.running().map((on) => on.drawnLabels),
    // The marks each chart in view drew in its last frame: [{categories, values, index, center, seen}]
    // per chart (`seen`: drawn, not hidden or faded out).
    marks: () => move.running().map((on) => on.marks),
    // The tones H played last: [{label, value, frequency}] in the order heard.
    tones: hearing.tones,
    // The main chart's style as the engine resolved it (its colours, for contrast checks).
    style: () => main.chart.getComputedStyle(),
    // Each running chart's title as the engine holds it now.
    titles: () => move.running().map((on) => on.chart.config?.title ?? null),
    // 1-based slide and step, as the URL hash and the notebook widget count.
    /** @type {(slide: number, step?: number) => Promise<void>} */
    goTo: (slide, step = 1) => {
      const found = positions.findIndex((p) => p.slide === slide - 1 && p.step === step - 1);
      return found < 0 ? Promise.resolve() : move.go(found);
    },
    // Play mode on or off (`force`), or the other way round.
    togglePlay: (/** @type {boolean | undefined} */ force) => store.dispatch({ type: "played", playing: force ?? !store.state.playing }),
    // Filter the dashboard in view to {dimension: category} ({} or null: show everything);
    // resolves once its charts show it.
    /** @type {(where: Where | null | undefined) => Promise<void>} */
    select: (where) => {
      const shown = board.currentBoard();
      if (!shown) return Promise.resolve();
      const wanted = where && Object.keys(where).length ? { from: -1, where: { ...where } } : null;
      if (JSON.stringify(wanted?.where ?? null) === JSON.stringify(shown.selection?.where ?? null)) return Promise.resolve();
      board.select(shown, wanted);
      return store.idle();
    },
    next: move.forward,
    previous: move.back,
    get index() {
      return store.state.index;
    },
    // The player's state (read only; see store.js), and changes to it as they happen.
    get state() {
      return store.state;
    },
    // The cross-filter of the dashboard in view: {dimension: category}, {} for none.
    get selection() {
      return selectionIn(store.state, positions);
    },
    subscribe: store.subscribe,
    // Resolves once the player rests: no step being drawn, none asked for, no cross-filter running.
    idle: store.idle,
    // Chart engines made by the players on this page and not yet let go of.
    get live() {
      return { charts: enginesOnPage() };
    },
  };
}

// Options: `hash` (false inside a notebook: leave the page URL alone),
// `page` (the player is the page: it takes the keyboard, S opens a window),
// `start` ({slide, step}, 1-based, to open at), `onShown({index, slide,
// step})` as each step starts showing, `onPlaying(bool)` when play mode changes,
// `onMarkerClick({categories, values, chart})` when a mark is clicked (`chart`:
// 1-based within a dashboard, null on the main chart), `onSelection(where)` when
// the cross-filter in view changes ({dimension: category}, {} for none).
/** @typedef {ReturnType<typeof playerApi>} PlayerApi */
/**
 * @param {Options} options
 * @returns {Promise<PlayerApi>}
 */
export async function start(options) {
  const { Vizzu, story, root, hash = true, page = false, onMarkerClick, onSelection } = options;
  const chartElement = part(root, ".ipyreport-chart");
  // The player's one mutable state: where it is, what runs, what is open.
  const store = createStore();
  register(store);
  const positions = flatten(story);
  const { datasets, raw, reducedMotion, shown, engines } = await stage({ Vizzu, story, root, store });
  const { track } = engines;
  const explore = explorer({ root, store, shown });
  const where = () => (store.state.index >= 0 ? positions[store.state.index] : null);
  const onFiltered = (/** @type {Where} */ selection) => onSelection?.(selection);
  const board = dashboards({ story, root, store, tracks: engines, datasets, raw, shown, reducedMotion, explore, where, onMarkerClick, onFiltered });
  const mainEntries = story.slides.flatMap((slide) => (isBoard(slide) || isCover(slide) ? slide.steps.map(() => null) : slide.steps));
  const main = await track(chartElement, mainEntries, {
    renewable: true,
    onClick: (marker) => onMarkerClick?.({ ...marker, chart: null }),
  });
  explore.attach(chartElement, () => main, () => story.slides[where()?.slide ?? 0].heading);
  const move = moves({ store, story, positions, main, engines, board, explore });
  const hearing = sound({ root, main, currentBoard: board.currentBoard, explore });
  const preview = (/** @type {HTMLElement} */ element) => track(element, mainEntries, { renewable: true });
  const controllers = controllersOf({ ...options, hash, page, store, positions, shown, board, move, explore, hearing, preview, show: engines.show });
  // Each controller does one job; the store tells them all what changed.
  store.subscribe((state, previous) => {
    for (const controller of controllers) controller.update?.(state, previous);
  });
  const pictures = capturing({ root, store, story, positions, currentBoard: board.currentBoard, begin: move.begin, refused: move.refused });

  // Stop everything this player started: timers, listeners outside its own
  // element, the presenter's window, and every chart engine it made. A
  // notebook calls it when a view of the story goes away.
  function destroy() {
    if (store.state.destroyed) return;
    store.dispatch({ type: "destroyed" });
    for (const controller of controllers) controller.destroy?.();
    explore.destroy();
    letGo(store, [main.chart, ...[...board.boards.values()].flatMap((made) => made.tracks.map((on) => on.chart))]);
    board.boards.clear();
    if (root.ipyreport === api) delete root.ipyreport;
  }
  const api = playerApi({ store, positions, main, move, board, hearing, pictures, destroy });
  root.ipyreport = api;
  const asked = options.start;
  const opening = asked ? positions.findIndex((p) => p.slide === asked.slide - 1 && p.step === asked.step - 1) : -1;
  await move.go(opening >= 0 ? opening : hash ? positionOf(story, positions, window.location.hash) : 0);
  // Milliseconds from navigation to the first drawn step (for benchmarks).
  root.dataset.readyMs = String(Math.round(performance.now()));
  root.dataset.ready = "true";
  if (page) root.focus({ preventScroll: true });
  return api;
}
