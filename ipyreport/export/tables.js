// @ts-check
// The numbers behind a chart, as tables: the story's own, or the marks a
// cross-filtered chart drew; cells read in the story's formats (`shown`).

import { isBoard, isCover, part } from "./chrome.js";

// <twins:table-rows> written by `python -m ipyreport._twins` from _plan.MAX_TABLE_ROWS; do not edit
export const MAX_TABLE_ROWS = 100; // rows a table shows, as many as the story's own tables hold
// </twins:table-rows>

/** @typedef {import("./document").Data} Data */
/** @typedef {import("./document").Table} Table */
/** @typedef {import("./document").StoryDocument} StoryDocument */
/** @typedef {import("./tracks.js").Mark} Mark */
/** @typedef {import("./words.js").Shown} Shown */
/** @typedef {import("./controllers.js").Controller} Controller */
/** @typedef {import("./controllers.js").Position} Position */
/** @typedef {import("./document").Frame} Frame */
/** A table as the player shows it: a cross-filtered chart's says what it is filtered to. */
/** @typedef {Table & { filtered?: string }} ShownTable */

/**
 * The categories of dimension `name` in `data`, in the data's order (null: no such dimension).
 * @param {Data} data
 * @param {string} name
 * @returns {string[] | null}
 */
export function categoriesOf(data, name) {
  const series = data.series.find((item) => item.name === name && item.type === "dimension");
  if (!series || series.type !== "dimension") return null;
  // The engine's other form of a dimension, its labels as values, lists them as they first appear.
  const { categories, values } = /** @type {{ categories?: string[], values: (string | number)[] }} */ (series);
  return categories ?? [...new Set(values.map(String))];
}

// The table of a cross-filtered chart: every mark it drew (the words about it
// read them all; `fillTable` shows the first rows), in the shape of its
// unfiltered table (`shape`) and in the data's category order.
/**
 * @param {Mark[]} drawn
 * @param {Table} shape
 * @param {Data} data
 * @param {string} filtered
 * @returns {ShownTable}
 */
export function drawnTable(drawn, shape, data, filtered) {
  const count = shape.columns.length - shape.measures;
  const dims = shape.columns.slice(0, count);
  const measures = shape.columns.slice(count);
  /** @type {(name: string, mark: Mark) => number} */
  const position = (name, mark) => (categoriesOf(data, name) ?? []).indexOf(mark.categories[name]);
  const order = (/** @type {Mark} */ a, /** @type {Mark} */ b) => {
    for (const name of dims) {
      const apart = position(name, a) - position(name, b);
      if (apart) return apart;
    }
    return 0;
  };
  const rows = [...drawn].sort(order).map((mark) => [
    ...dims.map((name) => mark.categories[name] ?? null),
    ...measures.map((name) => (Number.isFinite(mark.values[name]) ? mark.values[name] : null)),
  ]);
  return { columns: shape.columns, rows, total: rows.length, measures: shape.measures, filtered };
}

/**
 * One table per chart in `container` (a chart without one says why).
 * @param {Element} container
 * @param {(ShownTable | null)[]} tables
 * @param {Shown} shown
 * @param {string[]} [names] each chart's name, for its caption
 */
export function fillTables(container, tables, shown, names) {
  container.replaceChildren();
  tables.forEach((rows, i) => {
    const element = document.createElement("table");
    element.className = "ipyreport-table";
    fillTable(element, rows, shown, names?.[i]);
    container.append(element);
  });
}

/**
 * @param {HTMLTableElement} element
 * @param {ShownTable | null} rows
 * @param {Shown} shown
 * @param {string} [name]
 */
export function fillTable(element, rows, shown, name) {
  element.replaceChildren();
  if (!rows) {
    const note = document.createElement("caption");
    note.textContent = "No table for this step (it uses a custom JavaScript filter).";
    element.append(note);
    return;
  }
  const caption = document.createElement("caption");
  const what = `${name ? `Data behind ${name}` : "Data behind this chart"}${rows.filtered ? `, ${rows.filtered}` : ""}`;
  const first = rows.rows.slice(0, MAX_TABLE_ROWS);
  caption.textContent = rows.total > first.length ? `${what} (first ${first.length} of ${rows.total} rows)` : what;
  const head = document.createElement("thead");
  const headRow = document.createElement("tr");
  for (const column of rows.columns) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = shown.name(column);
    headRow.append(cell);
  }
  head.append(headRow);
  const body = document.createElement("tbody");
  const numeric = rows.columns.length - rows.measures;
  for (const row of first) {
    const tr = document.createElement("tr");
    row.forEach((value, i) => {
      const cell = document.createElement(i < numeric ? "th" : "td");
      if (i < numeric) cell.scope = "row";
      const column = rows.columns[i];
      cell.textContent = i < numeric ? (value === null ? "–" : shown.label(column, value)) : shown.number(column, value);
      tr.append(cell);
    });
    body.append(tr);
  }
  element.append(caption, head, body);
}

/**
 * Tables: the numbers behind the charts in view, as the data table shows them;
 * a cross-filtered dashboard's follow its filter (board.js fills them then).
 * @template B
 * @param {{
 *   root: HTMLElement,
 *   story: StoryDocument,
 *   positions: Position[],
 *   shown: Shown,
 *   boards: Map<number, B>,
 *   boardTables: (board: B, frame: Frame) => (ShownTable | null)[],
 * }} context
 * @returns {Controller}
 */
export function dataTables({ root, story, positions, shown, boards, boardTables }) {
  const container = part(root, ".ipyreport-tables");
  return {
    update(state, previous) {
      if (state.index === previous.index || state.index < 0) return;
      const { slide: s, step: k } = positions[state.index];
      const slide = story.slides[s];
      const board = boards.get(s);
      if (board && isBoard(slide)) {
        fillTables(container, boardTables(board, slide.steps[k]), shown, slide.steps[k].names);
        return;
      }
      const step = slide.steps[k];
      fillTables(container, isCover(slide) ? [] : ["table" in step ? step.table : null], shown);
    },
  };
}
