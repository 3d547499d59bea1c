// The numbers behind a chart, as tables: the story's own, or the marks a
// cross-filtered chart drew; cells read in the story's formats (`shown`).

// <twins:table-rows> written by `python -m ipyreport._twins` from _plan.MAX_TABLE_ROWS; do not edit
export const MAX_TABLE_ROWS = 100; // rows a table shows, as many as the story's own tables hold
// </twins:table-rows>

export function categoriesOf(data, name) {
  const series = data.series.find((item) => item.name === name && item.type === "dimension");
  if (!series) return null;
  return series.categories ?? [...new Set(series.values)];
}

// The table of a cross-filtered chart: every mark it drew (the words about it
// read them all; `fillTable` shows the first rows), in the shape of its
// unfiltered table (`shape`) and in the data's category order.
export function drawnTable(drawn, shape, data, filtered) {
  const count = shape.columns.length - shape.measures;
  const dims = shape.columns.slice(0, count);
  const measures = shape.columns.slice(count);
  const position = (name, value) => (categoriesOf(data, name) ?? []).indexOf(value);
  const rows = drawn.map((mark) => [
    ...dims.map((name) => mark.categories[name] ?? null),
    ...measures.map((name) => (Number.isFinite(mark.values[name]) ? mark.values[name] : null)),
  ]);
  rows.sort((a, b) => {
    for (let i = 0; i < count; i += 1) {
      const order = position(dims[i], a[i]) - position(dims[i], b[i]);
      if (order) return order;
    }
    return 0;
  });
  return { columns: shape.columns, rows, total: rows.length, measures: shape.measures, filtered };
}

export function fillTables(container, tables, shown, names) {
  container.replaceChildren();
  tables.forEach((rows, i) => {
    const element = document.createElement("table");
    element.className = "ipyreport-table";
    fillTable(element, rows, shown, names?.[i]);
    container.append(element);
  });
}

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
 * @param {{
 *   root: HTMLElement,
 *   story: any,
 *   positions: { slide: number, step: number }[],
 *   shown: any,
 *   boards: Map<number, any>,
 *   boardTables: (board: any, frame: any) => any[],
 * }} context
 */
export function dataTables({ root, story, positions, shown, boards, boardTables }) {
  const container = root.querySelector(".ipyreport-tables");
  return {
    update(state, previous) {
      if (state.index === previous.index || state.index < 0) return;
      const { slide: s, step: k } = positions[state.index];
      const slide = story.slides[s];
      const board = boards.get(s);
      if (board) fillTables(container, boardTables(board, slide.steps[k]), shown, slide.steps[k].names);
      else fillTables(container, slide.kind === "cover" ? [] : [slide.steps[k].table], shown);
    },
  };
}
