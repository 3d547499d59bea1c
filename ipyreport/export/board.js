// @ts-check
// Dashboards: two to four charts of one slide that step together, and a
// click on a mark (or a pick from the lists above them) that filters the
// other charts to its categories; each chart is a track of its own. The
// cross-filter of each dashboard is the player's state (the store).

import * as steps from "../static/steps.js";
import { part } from "./chrome.js";
import { categoriesOf, drawnTable, fillTables } from "./tables.js";
import { DIMMED, animate, both, listen, redraw } from "./tracks.js";
import { isolate, topValues } from "./words.js";

/** @typedef {import("./tracks.js").Track} Track */
/** @typedef {import("./tracks.js").ChartEvents} ChartEvents */
/** @typedef {import("./document").StoryDocument} StoryDocument */
/** @typedef {import("./document").Dashboard} Dashboard */
/** @typedef {import("./document").Frame} Frame */
/** @typedef {import("./document").Filter} Filter */
/** @typedef {import("./document").Data} Data */
/** @typedef {import("./document").BoundText} BoundText */
/** @typedef {import("./store.js").Selection} Selection */
/** @typedef {import("./controllers.js").Controller} Controller */
/** @typedef {ReturnType<typeof import("../static/steps.js").display>} Shown */
/** @typedef {Track & { index: number }} BoardTrack */
/** @typedef {import("./tables.js").ShownTable} ShownTable */
/**
 * A dashboard: its slide, element and charts (tracks), the lists, Clear
 * button and status line above them, and its cross-filter (the store's).
 * @typedef {{
 *   slide: number,
 *   element: HTMLElement,
 *   tracks: BoardTrack[],
 *   selects: Map<string, HTMLSelectElement>,
 *   clear: HTMLButtonElement,
 *   status: HTMLElement,
 *   readonly selection: Selection | null,
 *   picks: (on: BoardTrack | undefined) => boolean,
 *   filterFor: (on: BoardTrack | undefined, datasetId: string | null) => Filter | null,
 * }} Board
 */
/**
 * What the player makes dashboards with.
 * @typedef {{
 *   story: StoryDocument,
 *   root: HTMLElement,
 *   store: import("./store.js").Store,
 *   tracks: ReturnType<typeof import("./tracks.js").tracks>,
 *   datasets: Record<string, Data>,
 *   raw: Map<string, Function>,
 *   shown: Shown,
 *   reducedMotion: MediaQueryList,
 *   explore: ReturnType<typeof import("./explore.js").explorer>,
 *   where: () => ({ slide: number, step: number } | null),
 *   onMarkerClick?: (marker: { categories: object, values: object, chart: number | null }) => void,
 *   onFiltered: (where: import("./store.js").Where) => void,
 * }} Context
 */

/**
 * The selection in words: "Region = Europe, Product = Phones".
 * @param {Board} board
 * @param {Shown} shown
 */
function pickedText(board, shown) {
  return Object.entries(board.selection?.where ?? {})
    .map(([name, value]) => `${isolate(shown.name(name))} = ${isolate(shown.label(name, value))}`)
    .join(", ");
}

/**
 * The status line: what the dashboard is filtered to, and which charts it cannot filter.
 * @param {Board} board
 * @param {Shown} shown
 */
function selectionText(board, shown) {
  if (!board.selection) return "";
  const left = board.tracks
    .map((on, i) => (!board.picks(on) && !board.filterFor(on, on.dataset) ? i + 1 : null))
    .filter((n) => n !== null);
  const note = left.length ? ` Chart ${left.join(", ")} cannot be filtered by this and shows everything.` : "";
  return `Filtered to ${pickedText(board, shown)}.${note} Press Escape or Clear to show everything.`;
}

/**
 * A dashboard of slide `s`, in `element`, whose cross-filter the store holds.
 * @param {Context} context
 * @param {number} s
 * @param {HTMLElement} element
 * @returns {Board}
 */
function newBoard({ store, story, datasets }, s, element) {
  const slide = /** @type {Dashboard} */ (story.slides[s]);
  /** @type {Board} */
  const board = {
    slide: s,
    element,
    tracks: [],
    selects: new Map(),
    clear: document.createElement("button"),
    status: document.createElement("span"),
    get selection() {
      return store.state.selections[s] ?? null;
    },
    // Whether a chart shows the selection itself (highlighted, not filtered): the
    // chart clicked, or for a pick from the lists every chart drawn by those dimensions.
    picks: (on) => {
      const selection = board.selection;
      if (!selection || !on) return false;
      if (selection.from >= 0) return selection.from === on.index;
      const drawn = slide.steps[Math.max(on.at, 0)].shows?.[on.index] ?? [];
      return Object.keys(selection.where).every((name) => drawn.includes(name));
    },
    // The cross-filter for one chart showing `datasetId`: none for a chart that picks.
    filterFor: (on, datasetId) => {
      const where = board.selection?.where;
      const data = datasets[datasetId ?? "main"];
      if (!where || !data || board.picks(on)) return null;
      const parts = Object.entries(where)
        .filter(([name]) => categoriesOf(data, name))
        .map(([column, value]) => ({ in: { column, values: [value] } }));
      return parts.length ? (parts.length === 1 ? parts[0] : { and: parts }) : null;
    },
  };
  return board;
}

/**
 * A list of `name`'s categories to filter by ("All": none).
 * @param {Shown} shown
 * @param {string} name
 * @param {string[]} categories
 * @param {(value: string) => void} onPick
 */
function filterList(shown, name, categories, onPick) {
  const label = document.createElement("label");
  label.textContent = `${shown.name(name)} `;
  const select = document.createElement("select");
  select.name = name;
  for (const value of ["", ...categories]) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value === "" ? "All" : shown.label(name, value);
    select.append(option);
  }
  select.addEventListener("change", () => onPick(select.value));
  label.append(select);
  return { label, select };
}

/**
 * The lists (one per cross-filter dimension), Clear button and status line
 * above a dashboard: what keyboard and screen-reader users filter with.
 * @param {Context} context
 * @param {Board} board
 * @param {(board: Board, selection: Selection | null) => unknown} select
 */
function filterBar({ story, datasets, shown }, board, select) {
  const slide = /** @type {Dashboard} */ (story.slides[board.slide]);
  const bar = document.createElement("div");
  bar.className = "ipyreport-filters";
  for (const name of slide.crossFilter ?? []) {
    const categories = Object.values(datasets)
      .map((data) => categoriesOf(data, name))
      .find(Boolean);
    if (!categories) continue;
    const pick = (/** @type {string} */ value) => select(board, value === "" ? null : { from: -1, where: { [name]: value } });
    const list = filterList(shown, name, categories, pick);
    bar.append(list.label);
    board.selects.set(name, list.select);
  }
  Object.assign(board.clear, { type: "button", className: "ipyreport-clear-filter", textContent: "Clear filter", disabled: true });
  board.clear.addEventListener("click", () => select(board, null));
  board.status.className = "ipyreport-filter-status";
  board.status.setAttribute("aria-live", "polite");
  bar.append(board.clear, board.status);
  return board.selects.size ? bar : null;
}

/**
 * Chart `c` of a dashboard: a click on a mark filters the other charts to
 * its categories; this chart keeps every mark, the picked ones in full colour.
 * @param {Context} context
 * @param {Board} board
 * @param {number} c
 * @param {HTMLElement} holder
 * @param {(board: Board, selection: Selection | null) => unknown} select
 * @returns {Promise<BoardTrack>}
 */
async function boardChart({ story, tracks, onMarkerClick }, board, c, holder, select) {
  const slide = /** @type {Dashboard} */ (story.slides[board.slide]);
  const crossFilter = new Set(slide.crossFilter ?? []);
  /** @param {Record<string, string>} categories */
  const onClick = (categories) => {
    const where = Object.fromEntries(Object.entries(categories).filter(([name]) => crossFilter.has(name)));
    if (!Object.keys(where).length) return;
    const same = board.selection?.from === c && JSON.stringify(board.selection.where) === JSON.stringify(where);
    select(board, same ? null : { from: c, where });
  };
  /** @param {{ categories: Record<string, string> } | null | undefined} marker */
  const picked = (marker) => Object.entries(board.selection?.where ?? {}).every(([name, value]) => marker?.categories?.[name] === value);
  /** @param {ChartEvents["plot-marker-draw"] | ChartEvents["plot-marker-label-draw"]} event */
  const dim = (event) => {
    if (!board.picks(board.tracks[c])) return;
    const target = event.target;
    const marker = target?.tagName === "plot-marker" ? target : target?.parent;
    if (!picked(/** @type {{ categories: Record<string, string> } | undefined} */ (marker))) event.renderingContext.globalAlpha *= DIMMED;
  };
  const on = await tracks.track(holder, slide.steps.map((frame) => frame.charts[c]), {
    onClick: (marker) => {
      onMarkerClick?.({ ...marker, chart: c + 1 });
      onClick(marker.categories);
    },
    beforeLabel: dim,
    compact: true,
    // The engine's logo once on the page: on the dashboard's last chart only.
    logo: c === slide.steps[0].charts.length - 1,
  });
  listen(on.chart, "plot-marker-draw", dim);
  return Object.assign(on, { index: c, crossFilter: board.filterFor });
}

/**
 * The grid of a dashboard's panels, `columns` wide, in `element`.
 * @param {HTMLElement} element
 * @param {number} columns
 */
function gridIn(element, columns) {
  const grid = document.createElement("div");
  grid.className = "ipyreport-grid";
  grid.style.setProperty("--ipyreport-columns", String(columns));
  element.append(grid);
  return grid;
}

// How much of the charts may lie below the fold before the grid says there is more: a few
// pixels of rounding are not a chart to scroll to, and a fade there would hide the logo.
const FOLD_PX = 24;
/**
 * Keep `grid` saying whether charts lie below its fold (those that scroll under the lists,
 * on a phone): it fades at its foot until its last chart is in view (see player.css).
 * @param {HTMLElement} grid
 */
function watchFold(grid) {
  const more = () => {
    const scrolls = getComputedStyle(grid).overflowY === "auto";
    grid.dataset.more = String(scrolls && grid.scrollHeight - grid.scrollTop - grid.clientHeight > FOLD_PX);
  };
  grid.addEventListener("scroll", more, { passive: true });
  const sizes = new ResizeObserver(more);
  sizes.observe(grid);
  for (const panel of grid.children) sizes.observe(panel);
  more();
}

/**
 * Panel `c` of a dashboard's grid, and the element its chart draws in. Charts
 * that leave the last row short (`spare` cells): the first one spans them.
 * @param {HTMLElement} grid
 * @param {number} c
 * @param {number} spare
 */
function panelIn(grid, c, spare) {
  const panel = document.createElement("div");
  panel.className = "ipyreport-panel";
  panel.setAttribute("role", "group");
  if (c === 0 && spare) panel.style.gridColumn = `span ${spare + 1}`;
  const holder = document.createElement("div");
  panel.append(holder);
  grid.append(panel);
  return { panel, holder };
}

/**
 * Animate each chart of the dashboard to its cross-filter, where that changed.
 * @param {Context} context
 * @param {Board} board
 */
async function refilter({ datasets, raw, reducedMotion }, board) {
  for (const on of board.tracks) if (on.at >= 0) redraw(on.chart);
  await Promise.all(
    board.tracks.map(async (on) => {
      const extra = board.filterFor(on, on.dataset);
      if (JSON.stringify(extra) === JSON.stringify(on.extra)) return;
      on.extra = extra;
      if (on.at < 0 || on.dataset === null) return;
      const spec = both(on.filter, extra);
      const filter = spec ? steps.compileFilter(spec, datasets[on.dataset], raw) : null;
      // The data's filter alone: the engine keeps its series.
      const target = /** @type {import("./tracks.js").AnimTarget} */ ({ data: { filter } });
      await animate(on.chart, target, reducedMotion.matches ? 0 : { duration: 0.5 });
    }),
  );
}

/**
 * Each chart's table: the story's own, or for a chart the cross-filter
 * narrows, the numbers it now draws.
 * @param {Context} context
 * @param {Board} board
 * @param {Frame} frame
 * @returns {(ShownTable | null)[]}
 */
function boardTables({ datasets, shown }, board, frame) {
  return board.tracks.map((on, c) => {
    const shape = frame.tables[c];
    if (!shape || !on.extra || on.dataset === null) return shape;
    // A mark with no value (a month nobody reported keeps its place, undrawn) is no row.
    const valued = on.marks.filter((mark) => !Object.keys(mark.values).every((name) => on.missing(mark, name)));
    return drawnTable(valued, shape, datasets[on.dataset], `filtered to ${pickedText(board, shown)}`);
  });
}

/**
 * Words bound to the data, read again under the click: the numbers in a
 * dashboard's title and notes and in its charts' titles follow the filter.
 * @param {Context} context
 * @param {BoundText} parts
 * @param {string} datasetId
 * @param {Filter | null} filter
 * @returns {string}
 */
const readText = ({ datasets, shown, raw, story }, parts, datasetId, filter) =>
  steps.evaluateText(parts, datasets[datasetId], {
    filter,
    shownAs: shown,
    raw,
    isolateText: isolate,
    placeholdersFrom: story.placeholders?.[datasetId] ?? null,
  });

/**
 * A chart's title, subtitle and caption, read again under its cross-filter.
 * @param {Context} context
 * @param {Track} on
 */
function chartWords(context, on) {
  const entry = on.entries[on.at];
  if (!entry) return;
  const dataset = entry.data ?? "main";
  /** @type {Record<string, unknown>} */
  const config = {};
  for (const key of /** @type {const} */ (["title", "subtitle", "caption"])) {
    const parts = entry.text?.[key];
    if (parts) config[key] = on.extra ? readText(context, parts, dataset, both(on.filter, on.extra)) : entry.config[key];
  }
  if (Object.keys(config).length) animate(on.chart, /** @type {import("./tracks.js").AnimTarget} */ ({ config }), 0).catch(() => {});
}

/**
 * The dashboard of slide `s`, laid out in the player's canvas, its charts made.
 * @param {Context} context
 * @param {number} s
 * @param {(board: Board, selection: Selection | null) => unknown} select
 */
async function makeBoard(context, s, select) {
  const { story, root, explore, where } = context;
  const slide = /** @type {Dashboard} */ (story.slides[s]);
  const count = slide.steps[0].charts.length;
  const element = document.createElement("div");
  element.className = "ipyreport-board";
  element.setAttribute("role", "group");
  element.setAttribute("aria-label", `Dashboard of ${count} charts`);
  const board = newBoard(context, s, element);
  const bar = filterBar(context, board, select);
  if (bar) element.append(bar);
  root.querySelector(".ipyreport-canvas")?.append(element);
  const columns = Math.min(slide.columns ?? 2, count);
  const grid = gridIn(element, columns);
  for (let c = 0; c < count; c += 1) {
    const { panel, holder } = panelIn(grid, c, (columns - (count % columns)) % columns);
    board.tracks.push(await boardChart(context, board, c, holder, select));
    // Tab reaches each chart; Enter explores its marks.
    explore.attach(panel, () => board.tracks[c], () => slide.steps[where()?.step ?? 0].names[c] ?? `chart ${c + 1}`);
  }
  watchFold(grid);
  return board;
}

/**
 * The words, tables and chart descriptions of the dashboard at `at`, for what it now shows.
 * @param {Context} context
 * @param {Board} board
 * @param {{ slide: number, step: number }} at
 */
function describe(context, board, at) {
  const { story, root, shown } = context;
  const slide = /** @type {Dashboard} */ (story.slides[at.slide]);
  for (const [name, selector] of /** @type {const} */ ([["title", ".ipyreport-title"], ["dek", ".ipyreport-dek"], ["notes", ".ipyreport-notes"]])) {
    const parts = slide.text?.[name];
    const words = parts && board.selection ? readText(context, parts, "main", board.filterFor(undefined, "main")) : slide[name];
    const element = root.querySelector(selector);
    if (parts && element) element.textContent = words ?? "";
  }
  for (const on of board.tracks) if (on.at >= 0) chartWords(context, on);
  const frame = slide.steps[at.step];
  for (const on of board.tracks) redraw(on.chart);
  const tables = boardTables(context, board, frame);
  fillTables(part(root, ".ipyreport-tables"), tables, shown, frame.names);
  const panels = board.element.querySelectorAll(".ipyreport-panel");
  tables.forEach((table, c) => {
    // A filtered chart in words: what it is filtered to and its top values.
    const text = table?.filtered ? `${frame.names[c]}, ${table.filtered}. ${topValues(table, story.words, shown)}` : frame.alts[c];
    panels[c].setAttribute("aria-label", text ?? "");
  });
}

/**
 * The lists, Clear button and filtered mark of a dashboard, as its cross-filter is.
 * @param {Board} board
 */
function showPicked(board) {
  for (const [name, select] of board.selects) select.value = board.selection?.where?.[name] ?? "";
  board.clear.disabled = !board.selection;
  board.element.dataset.filtered = String(Boolean(board.selection));
}

/**
 * What the player makes dashboards with. A dashboard's cross-filter is the
 * store's: a click, a list, Clear, Escape or a host asks for one with the
 * `selected` action (`select`), and the dashboards, subscribed to the store as
 * a controller, show each new one (`update`).
 * @param {Context} context
 */
export function dashboards(context) {
  const { store, shown, where, onFiltered } = context;
  /** @type {Map<number, Board>} */
  const boards = new Map(); // slide index -> its dashboard, made on first visit

  /**
   * Filter the dashboard to `selection` (null: show everything).
   * @param {Board} board
   * @param {Selection | null} selection
   */
  const select = (board, selection) => store.dispatch({ type: "selected", slide: board.slide, selection });

  /**
   * The dashboard of slide `s`, made on first visit (showing the cross-filter the store holds for it).
   * @param {number} s
   */
  async function boardFor(s) {
    const board = boards.get(s) ?? (await makeBoard(context, s, select));
    if (!boards.has(s) && board.selection) showPicked(board);
    boards.set(s, board);
    return board;
  }

  /**
   * Show the dashboard's new cross-filter: its lists, its charts animated to
   * it, then its status line, tables and words; the store counts it as running
   * until the charts are there.
   * @param {Board} board
   * @param {Selection | null} selection
   */
  async function showSelection(board, selection) {
    showPicked(board);
    store.dispatch({ type: "filtering", by: 1 });
    try {
      await refilter(context, board);
    } finally {
      store.dispatch({ type: "filtering", by: -1 });
    }
    board.status.textContent = selectionText(board, shown);
    describeBoard(board);
    onFiltered(selection?.where ?? {});
  }

  const currentBoard = () => {
    const at = where();
    return at ? boards.get(at.slide) : undefined;
  };

  /**
   * After a cross-filter or a step has finished drawing: tables, chart
   * descriptions and the words bound to the data follow what the dashboard now shows.
   * @param {Board} board
   */
  function describeBoard(board) {
    const at = where();
    if (at && board === currentBoard()) describe(context, board, at);
  }

  /** @type {NonNullable<Controller["update"]>} */
  function update(state, previous) {
    if (state.selections === previous.selections) return;
    for (const [s, board] of boards) {
      const selection = state.selections[s] ?? null;
      if (selection === (previous.selections[s] ?? null)) continue;
      showSelection(board, selection).catch((error) => console.error("ipyreport: could not filter the dashboard", error));
    }
  }

  return {
    boards,
    boardFor,
    select,
    currentBoard,
    /** @type {(board: Board, frame: Frame) => (ShownTable | null)[]} */
    boardTables: (board, frame) => boardTables(context, board, frame),
    describeBoard,
    update,
  };
}
