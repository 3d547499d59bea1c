// Dashboards: two to four charts of one slide that step together, and a
// click on a mark (or a pick from the lists above them) that filters the
// other charts to its categories; each chart is a track of its own.

import * as steps from "../static/steps.js";
import { categoriesOf, drawnTable, fillTables } from "./tables.js";
import { DIMMED, both, listen } from "./tracks.js";
import { isolate, topValues } from "./words.js";

/**
 * What the player makes dashboards with.
 * @param {{
 *   story: any,
 *   root: HTMLElement,
 *   store: import("./store.js").Store,
 *   tracks: ReturnType<typeof import("./tracks.js").tracks>,
 *   datasets: object,
 *   raw: Map<string, Function>,
 *   shown: ReturnType<typeof import("../static/steps.js").display>,
 *   reducedMotion: MediaQueryList,
 *   explore: ReturnType<typeof import("./explore.js").explorer>,
 *   where: () => ({ slide: number, step: number } | null),
 *   onMarkerClick?: (marker: any) => void,
 *   onFiltered: (where: object) => void,
 * }} context
 */
export function dashboards({ story, root, store, tracks, datasets, raw, shown, reducedMotion, explore, where, onMarkerClick, onFiltered }) {
  const $ = (selector) => root.querySelector(selector);
  const { track } = tracks;
  const boards = new Map(); // slide index -> its dashboard, made on first visit


  // The selection in words: "Region = Europe, Product = Phones".
  function pickedText(board) {
    return Object.entries(board.selection?.where ?? {})
      .map(([name, value]) => `${isolate(shown.name(name))} = ${isolate(shown.label(name, value))}`)
      .join(", ");
  }

  function selectionText(board) {
    if (!board.selection) return "";
    const shown = pickedText(board);
    const left = board.tracks
      .map((on, i) => (!board.picks(on) && !board.filterFor(on, on.dataset) ? i + 1 : null))
      .filter((n) => n !== null);
    const note = left.length ? ` Chart ${left.join(", ")} cannot be filtered by this and shows everything.` : "";
    return `Filtered to ${shown}.${note} Press Escape or Clear to show everything.`;
  }

  // The lists (one per cross-filter dimension), Clear button and status line
  // above a dashboard: what keyboard and screen-reader users filter with.
  function filterBar(board, slide) {
    const bar = document.createElement("div");
    bar.className = "ipyreport-filters";
    for (const name of slide.crossFilter ?? []) {
      const categories = Object.values(datasets)
        .map((data) => categoriesOf(data, name))
        .find(Boolean);
      if (!categories) continue;
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
      select.addEventListener("change", () =>
        setSelection(board, select.value === "" ? null : { from: -1, where: { [name]: select.value } }),
      );
      label.append(select);
      bar.append(label);
      board.selects.set(name, select);
    }
    board.clear = document.createElement("button");
    board.clear.type = "button";
    board.clear.className = "ipyreport-clear-filter";
    board.clear.textContent = "Clear filter";
    board.clear.disabled = true;
    board.clear.addEventListener("click", () => setSelection(board, null));
    board.status = document.createElement("span");
    board.status.className = "ipyreport-filter-status";
    board.status.setAttribute("aria-live", "polite");
    bar.append(board.clear, board.status);
    return board.selects.size ? bar : null;
  }

  // Chart `c` of a dashboard: a click on a mark filters the other charts to
  // its categories; this chart keeps every mark, the picked ones in full colour.
  async function boardChart(board, slide, c, holder) {
    const crossFilter = new Set(slide.crossFilter ?? []);
    const on = await track(
      holder,
      slide.steps.map((frame) => frame.charts[c]),
      {
        onClick: (marker) => {
          onMarkerClick?.({ ...marker, chart: c + 1 });
          const where = Object.fromEntries(Object.entries(marker.categories).filter(([name]) => crossFilter.has(name)));
          if (!Object.keys(where).length) return;
          const same = board.selection?.from === c && JSON.stringify(board.selection.where) === JSON.stringify(where);
          setSelection(board, same ? null : { from: c, where });
        },
        beforeLabel: (event) => dim(event),
      },
    );
    Object.assign(on, { index: c, crossFilter: board.filterFor });
    const picked = (categories) =>
      Object.entries(board.selection.where).every(([name, value]) => categories?.[name] === value);
    const dim = (event) => {
      if (!board.picks(board.tracks[c])) return;
      const marker = event.target?.tagName === "plot-marker" ? event.target : event.target?.parent;
      if (!picked(marker?.categories)) event.renderingContext.globalAlpha *= DIMMED;
    };
    listen(on.chart, "plot-marker-draw", dim);
    return on;
  }

  async function boardFor(s) {
    if (boards.has(s)) return boards.get(s);
    const slide = story.slides[s];
    const count = slide.steps[0].charts.length;
    const columns = Math.min(slide.columns ?? 2, count);
    const element = document.createElement("div");
    element.className = "ipyreport-board";
    element.setAttribute("role", "group");
    element.setAttribute("aria-label", `Dashboard of ${count} charts`);
    const board = {
      slide: s,
      element,
      tracks: [],
      selects: new Map(),
      // The cross-filter is the player's state (the store), per dashboard slide.
      get selection() {
        return store.state.selections[s] ?? null;
      },
    };
    // Whether a chart shows the selection itself (highlighted, not filtered): the
    // chart clicked, or for a pick from the lists every chart drawn by those dimensions.
    board.picks = (on) => {
      const selection = board.selection;
      if (!selection || !on) return false;
      if (selection.from >= 0) return selection.from === on.index;
      const shown = slide.steps[Math.max(on.at, 0)].shows?.[on.index] ?? [];
      return Object.keys(selection.where).every((name) => shown.includes(name));
    };
    // The cross-filter for one chart showing `datasetId`: none for a chart that picks.
    board.filterFor = (on, datasetId) => {
      const where = board.selection?.where;
      const data = datasets[datasetId ?? "main"];
      if (!where || !data || board.picks(on)) return null;
      const parts = Object.entries(where)
        .filter(([name]) => categoriesOf(data, name))
        .map(([column, value]) => ({ in: { column, values: [value] } }));
      return parts.length ? (parts.length === 1 ? parts[0] : { and: parts }) : null;
    };
    const bar = filterBar(board, slide);
    const grid = document.createElement("div");
    grid.className = "ipyreport-grid";
    grid.style.setProperty("--ipyreport-columns", String(columns));
    element.append(...(bar ? [bar] : []), grid);
    $(".ipyreport-canvas").append(element);
    // Charts that leave the last row short: the first one spans the spare cells.
    const spare = (columns - (count % columns)) % columns;
    for (let c = 0; c < count; c += 1) {
      const panel = document.createElement("div");
      panel.className = "ipyreport-panel";
      panel.setAttribute("role", "group");
      if (c === 0 && spare) panel.style.gridColumn = `span ${spare + 1}`;
      const holder = document.createElement("div");
      panel.append(holder);
      grid.append(panel);
      board.tracks.push(await boardChart(board, slide, c, holder));
      // Tab reaches each chart; Enter explores its marks.
      explore.attach(panel, () => board.tracks[c], () => {
        const at = where();
        return story.slides[s].steps[at?.step ?? 0].names[c] ?? `chart ${c + 1}`;
      });
    }
    boards.set(s, board);
    return board;
  }

  async function setSelection(board, selection) {
    store.dispatch({ type: "selected", slide: board.slide, selection });
    for (const [name, select] of board.selects) select.value = selection?.where?.[name] ?? "";
    board.clear.disabled = !selection;
    board.element.dataset.filtered = String(Boolean(selection));
    store.dispatch({ type: "filtering", by: 1 });
    try {
      await refilter(board);
    } finally {
      store.dispatch({ type: "filtering", by: -1 });
    }
    board.status.textContent = selectionText(board);
    describeBoard(board);
    onFiltered(selection?.where ?? {});
  }

  async function refilter(board) {
    for (const on of board.tracks) if (on.at >= 0) on.chart.feature.rendering.update();
    await Promise.all(
      board.tracks.map(async (on) => {
        const extra = board.filterFor(on, on.dataset);
        if (JSON.stringify(extra) === JSON.stringify(on.extra)) return;
        on.extra = extra;
        if (on.at < 0) return;
        const data = datasets[on.dataset];
        const spec = both(on.filter, extra);
        const target = { data: { filter: spec ? steps.compileFilter(spec, data, raw) : null } };
        await on.chart.animate(target, reducedMotion.matches ? 0 : { duration: 0.5 });
      }),
    );
  }

  const currentBoard = () => {
    const at = where();
    return at ? boards.get(at.slide) : undefined;
  };


  // Each chart's table: the story's own, or for a chart the cross-filter
  // narrows, the numbers it now draws.
  function boardTables(board, frame) {
    return board.tracks.map((on, c) => {
      const shape = frame.tables[c];
      if (!shape || !on.extra) return shape;
      // What the chart last drew, mark by mark: the numbers behind a filtered chart.
      return drawnTable(on.marks, shape, datasets[on.dataset], `filtered to ${pickedText(board)}`);
    });
  }

  // A filtered chart in words: what it is filtered to and its top values.
  const filteredText = (name, table) => `${name}, ${table.filtered}. ${topValues(table, story.words, shown)}`;

  // Words bound to the data, read again under the click: the numbers in a
  // dashboard's title and notes and in its charts' titles follow the filter.
  const readText = (parts, datasetId, filter) =>
    steps.evaluateText(parts, datasets[datasetId], {
      filter,
      shownAs: shown,
      raw,
      isolateText: isolate,
      placeholdersFrom: story.placeholders?.[datasetId] ?? null,
    });

  function slideWords(s, name) {
    const slide = story.slides[s];
    const board = boards.get(s);
    const parts = slide.text?.[name];
    if (!parts || !board?.selection) return slide[name];
    return readText(parts, "main", board.filterFor(undefined, "main"));
  }

  function chartWords(on) {
    const entry = on.entries[on.at];
    const dataset = entry?.data ?? "main";
    const config = {};
    for (const key of ["title", "subtitle", "caption"]) {
      const parts = entry?.text?.[key];
      if (parts) config[key] = on.extra ? readText(parts, dataset, both(on.filter, on.extra)) : entry.config[key];
    }
    if (Object.keys(config).length) on.chart.animate({ config }, 0).catch(() => {});
  }

  // After a cross-filter or a step has finished drawing: tables, chart
  // descriptions and the words bound to the data follow what the dashboard now shows.
  function describeBoard(board) {
    if (board !== currentBoard()) return;
    const at = where();
    const slide = story.slides[at.slide];
    for (const [name, selector] of [["title", ".ipyreport-title"], ["notes", ".ipyreport-notes"]]) {
      if (slide.text?.[name]) $(selector).textContent = slideWords(at.slide, name) ?? "";
    }
    for (const on of board.tracks) if (on.at >= 0) chartWords(on);
    const frame = story.slides[at.slide].steps[at.step];
    for (const on of board.tracks) on.chart.feature.rendering.update();
    const tables = boardTables(board, frame);
    fillTables($(".ipyreport-tables"), tables, shown, frame.names);
    const panels = board.element.querySelectorAll(".ipyreport-panel");
    tables.forEach((table, c) => {
      const text = table?.filtered ? filteredText(frame.names[c], table) : frame.alts[c];
      panels[c].setAttribute("aria-label", text ?? "");
    });
  }

  return {
    boards,
    boardFor,
    setSelection,
    currentBoard,
    boardTables,
    describeBoard,
    slideWords,
  };
}
