// @ts-check
// Turns ipyreport's JSON steps into Vizzu animate() calls.
// Shared by the HTML player and the notebook widget; plain ES module, no build.

/** @typedef {import("../export/document").Data} Data */
/** @typedef {import("../export/document").Filter} Filter */
/** @typedef {import("../export/document").Step} Step */
/** @typedef {import("../export/document").NumberFormat} NumberFormat */
/** @typedef {import("../export/document").StoryDocument} StoryDocument */
/**
 * A data series as this module reads it: the document's (a dimension in the
 * index form, a measure) or a dimension written as its labels.
 * @typedef {{ name: string, type: "dimension", categories: string[], values: number[] }
 *   | { name: string, type: "dimension", categories?: undefined, values: string[] }
 *   | { name: string, type: "measure", categories?: undefined, values: (number | null)[], unit?: string }} Series
 */
/** @typedef {{ series: Series[] }} Dataset */
/** A row as a filter reads it: each series' label or number. @typedef {Record<string, string | number | null>} Row */
/** @typedef {(record: Row) => boolean} Keep */
/** An author's own JavaScript filters, by their source (see loadRawFilters). @typedef {Map<string, Function>} RawFilters */

/** @typedef {import("vizzu").default} Chart */
/** @typedef {import("vizzu").Events.EventType} EventType */
/** @typedef {import("vizzu").Events.EventMap} EventMap */
/** @typedef {import("vizzu").Events.Marker} Marker */
/** @typedef {import("vizzu").Geom.AffineTransform} Transform */
/**
 * The engine's events by the names a script writes ("draw-begin"), each as the
 * engine hands it over: a drawing event with the canvas context it draws with.
 * @typedef {{
 *   [E in EventType as `${E}`]: `${E}` extends `${string}-draw`
 *     ? EventMap[E] & { renderingContext: CanvasRenderingContext2D }
 *     : EventMap[E]
 * }} ChartEvents
 */
/** @typedef {ChartEvents["plot-marker-label-draw"]} MarkerLabelDraw */
/** @typedef {ChartEvents["plot-axis-label-draw"] | ChartEvents["legend-label-draw"]} TickDraw */
/** @typedef {MarkerLabelDraw | TickDraw | ChartEvents["plot-axis-title-draw"]} LabelDraw */

/**
 * `chart.on(name, handler)`, typed by the event's name as a script writes it
 * (the engine types its names as an enum a script cannot name).
 * @template {keyof ChartEvents} K
 * @param {Chart} chart
 * @param {K} name
 * @param {(event: ChartEvents[K]) => void} handler
 */
export function listen(chart, name, handler) {
  const on = /** @type {(name: K, handler: (event: ChartEvents[K]) => void) => void} */ (/** @type {unknown} */ (chart.on));
  on.call(chart, name, handler);
}

// The engine builds `chart.config` and its computed style afresh from its own state on every
// read (milliseconds for a chart of many marks), and a frame asks them of each mark it draws:
// a frame reads each once, the first time it is asked, and the copy is let go as the
// frame's task ends.
/**
 * `read(chart)`, read once per chart and task.
 * @template T
 * @param {(chart: Chart) => T} read
 * @returns {(chart: Chart) => T}
 */
function perTask(read) {
  /** @type {WeakMap<Chart, { value: T }>} */
  const kept = new WeakMap();
  return (chart) => {
    let copy = kept.get(chart);
    if (!copy) {
      copy = { value: read(chart) };
      kept.set(chart, copy);
      queueMicrotask(() => kept.delete(chart));
    }
    return copy.value;
  };
}

/**
 * The chart's config as the engine holds it now, read once per task.
 * @type {(chart: Chart) => Chart["config"]}
 */
export const configOf = perTask((chart) => chart.config);

// Vizzu reads a null measure as 0, which breaks counts, means and minima;
// NaN is what it treats as missing. Rows from `placeholdersFrom` on were
// added to fill a timeline's gaps: drawn as 0 so each category keeps its
// place (Vizzu drops a mark whose values are all NaN).
/**
 * @param {Data} data
 * @param {number | null} [placeholdersFrom]
 * @returns {Data}
 */
export function prepareData(data, placeholdersFrom = null) {
  const first = placeholdersFrom ?? Infinity;
  return {
    series: data.series.map((series) =>
      series.type === "measure"
        ? { ...series, values: series.values.map((value, row) => (value === null ? (row >= first ? 0 : NaN) : value)) }
        : series,
    ),
  };
}

export class StepError extends Error {}

// --- missing values ------------------------------------------------------------
// A mark whose rows are all placeholders (or nulls) has no value: the engine
// sums it to 0, but the audience must not read "0". `reported(data, from, keep)`
// answers, for a mark's categories and one of its measures, whether any row the
// data really holds (before the placeholders, not NaN) passes `keep` there.
/** @typedef {[name: string, values: (string | number | null)[]][]} Columns */
/** @type {WeakMap<Dataset, Columns>} */
const decodedOf = new WeakMap();

/**
 * A series' values as labels and numbers (an index-form dimension decoded).
 * @param {Series} series
 * @returns {(string | number | null)[]}
 */
function labelsOf(series) {
  return series.categories ? series.values.map((code) => series.categories[code]) : series.values;
}

/**
 * Each series' values as labels and numbers, once per dataset.
 * @param {Dataset} data
 * @returns {Columns}
 */
function decoded(data) {
  let columns = decodedOf.get(data);
  if (!columns) {
    columns = data.series.map((series) => [series.name, labelsOf(series)]);
    decodedOf.set(data, columns);
  }
  return columns;
}

/**
 * The record of one row, as a filter reads it.
 * @param {Columns} columns
 * @param {number} row
 */
function recordAt(columns, row) {
  /** @type {Row} */
  const record = {};
  for (const [name, column] of columns) record[name] = column[row];
  return record;
}

/**
 * Each row before `placeholdersFrom` (null: every row, stand-ins for the unreported too) that
 * `keep` keeps and that holds a number in `values` (if given), handed to `visit` with its
 * mark's key: the JSON of its categories of `names`. False, and no row visited, when the
 * data holds not each of `names`. The one walk behind reported, valuesIn and seriesEnds.
 * @param {Dataset} data
 * @param {number | null} placeholdersFrom
 * @param {Keep | null} keep
 * @param {string[]} names
 * @param {(string | number | null)[] | null} values
 * @param {(key: string, row: number) => void} visit
 */
function eachMark(data, placeholdersFrom, keep, names, values, visit) {
  const columns = decoded(data);
  const at = names.map((wanted) => columns.find(([name]) => name === wanted)?.[1]);
  if (!at.every(Boolean)) return false;
  const rows = Math.min(placeholdersFrom ?? Infinity, columns[0]?.[1].length ?? 0);
  for (let row = 0; row < rows; row += 1) {
    const value = values?.[row];
    if (values && (typeof value !== "number" || Number.isNaN(value))) continue;
    if (keep && !keep(recordAt(columns, row))) continue;
    visit(JSON.stringify(at.map((column) => column?.[row])), row);
  }
  return true;
}

/**
 * A series of the data by name, as labels and numbers.
 * @param {Dataset} data
 * @param {string} wanted
 */
const columnOf = (data, wanted) => decoded(data).find(([name]) => name === wanted)?.[1];

/** A mark's categories, as the engine hands them over. @typedef {Record<string, string | number>} Categories */
/**
 * Whether the data reports a value of `measure` for a mark; asked of no measure (""), whether
 * the state's filter keeps any row of the mark at all (a stand-in for a month nobody reported counts).
 * @typedef {(categories: Categories, measure: string) => boolean} Reported
 */
/**
 * Whether a mark is the last point of its series (see seriesEnds).
 * @typedef {(categories: Categories, along: string, names: string[], measure: string) => boolean} Ends
 */

/**
 * @param {Dataset} data prepared Vizzu data (see prepareData)
 * @param {number | null} placeholdersFrom the first placeholder row, if any
 * @param {Keep | null} keep the chart's filter
 * @returns {Reported}
 */
export function reported(data, placeholdersFrom, keep) {
  // Per measure and set of dimensions: the marks (their categories) with a reported row,
  // found in one pass over the rows the first time a mark holding 0 asks; with no measure,
  // the marks with any row the filter keeps, stand-ins for the unreported included.
  // A mark whose series the data does not hold (one of another dataset, met in a move
  // between two) is not the data's to judge: it counts as reported (null: no set).
  /** @type {Map<string, Set<string> | null>} */
  const found = new Map();
  /**
   * @param {string[]} names
   * @param {string} measure
   */
  const marksWithValues = (names, measure) => {
    // A mark keys an aggregate's value as "mean(Units)": its rows hold Units.
    const values = measure ? columnOf(data, AGGREGATE.exec(measure)?.[2] ?? measure) : null;
    /** @type {Set<string>} */
    const marks = new Set();
    if (measure && !values) return null;
    const rows = measure ? placeholdersFrom : null; // with no measure, stand-ins count
    return eachMark(data, rows, keep, names, values ?? null, (key) => marks.add(key)) ? marks : null;
  };
  return (categories, measure) => {
    const names = Object.keys(categories ?? {}).sort();
    const group = JSON.stringify([measure, ...names]);
    if (!found.has(group)) found.set(group, marksWithValues(names, measure));
    const marks = found.get(group);
    return !marks || marks.has(JSON.stringify(names.map((name) => categories[name])));
  };
}

/** What a mark of a state holds of `measure` (null: no value; undefined: the data cannot say). @typedef {(categories: Categories, measure: string) => number | null | undefined} Valued */
/**
 * The value each mark of a state holds, as the engine hands it once a move into the state
 * completes: `measure` ("Revenue", "mean(Units)") aggregated over the rows `keep` keeps
 * that hold the mark's categories, placeholders left out. The data cannot say for a series
 * it does not hold (another dataset's) nor for distinct counts: undefined.
 * @param {Dataset} data prepared Vizzu data (see prepareData)
 * @param {number | null} placeholdersFrom the first placeholder row, if any
 * @param {Keep | null} keep the state's filter
 * @returns {Valued}
 */
export function valuesIn(data, placeholdersFrom, keep) {
  /** @type {Map<string, Map<string, number | null> | null>} */
  const found = new Map();
  /**
   * @param {string[]} names
   * @param {string} measure
   */
  const valuesOf = (names, measure) => {
    const [, fn = "sum", series = measure] = AGGREGATE.exec(measure) ?? [];
    const values = series ? columnOf(data, series) : [];
    /** @type {Map<string, (number | null)[]>} */
    const groups = new Map();
    const visit = (/** @type {string} */ key, /** @type {number} */ row) => {
      const value = series ? values?.[row] : 1; // count(): each row counts
      const group = groups.get(key) ?? [];
      group.push(typeof value === "number" ? value : null);
      groups.set(key, group);
    };
    if (fn === "distinct" || !values || !eachMark(data, placeholdersFrom, keep, names, null, visit)) return null;
    return new Map([...groups].map(([key, group]) => [key, aggregate(group, /** @type {Aggregator} */ (fn))]));
  };
  return (categories, measure) => {
    const names = Object.keys(categories ?? {}).sort();
    const group = JSON.stringify([measure, ...names]);
    if (!found.has(group)) found.set(group, valuesOf(names, measure));
    const marks = found.get(group);
    return marks ? marks.get(JSON.stringify(names.map((name) => categories[name]))) ?? null : undefined;
  };
}

// A step with `ends` labels each series only at its last point: per series
// (its categories of `names`), the last category of `along` — in the data's
// order — where a row the data really holds (not a placeholder, not NaN)
// passes `keep` with a value of `measure`. A series ending early ends there.
/**
 * @param {Dataset} data prepared Vizzu data (see prepareData)
 * @param {number | null} placeholdersFrom the first placeholder row, if any
 * @param {Keep | null} keep the chart's filter
 * @returns {Ends}
 */
export function seriesEnds(data, placeholdersFrom, keep) {
  /** @type {Map<string, Map<string, [place: number, step: string | number | null]>>} */
  const found = new Map();
  /**
   * Per series, its last step and that step's place in the data's order.
   * @param {string} along
   * @param {string[]} names
   * @param {string} measure
   */
  const lastOf = (along, names, measure) => {
    const steps = columnOf(data, along) ?? [];
    /** @type {Map<string | number | null, number>} */
    const order = new Map();
    for (const step of steps) if (!order.has(step)) order.set(step, order.size);
    /** @type {Map<string, [place: number, step: string | number | null]>} */
    const last = new Map();
    eachMark(data, placeholdersFrom, keep, names, columnOf(data, measure) ?? [], (key, row) => {
      const seen = last.get(key);
      const place = order.get(steps[row]) ?? order.size; // every step has its place: `order` holds them all
      if (seen === undefined || place > seen[0]) last.set(key, [place, steps[row]]);
    });
    return last;
  };
  return (categories, along, names, measure) => {
    const group = JSON.stringify([along, measure, ...names]);
    let last = found.get(group);
    if (!last) {
      last = lastOf(along, names, measure);
      found.set(group, last);
    }
    const end = last.get(JSON.stringify(names.map((name) => categories?.[name])))?.[1];
    return end !== undefined && String(end) === String(categories?.[along]);
  };
}

// A line or an area breaks where a mark has no value: the engine draws each mark of
// one as the stretch from the mark before it along the axis, so a mark is drawn
// only when the one before it has a value too. `previousIn(data)` gives, for a
// mark's categories, those of the mark before it along `along` (in the data's
// order of its categories), or null for the first; `step` 1 gives the one after
// it (null for the last).
/**
 * The categories of the mark before (or `step` marks on from) a mark along a dimension, or null.
 * @typedef {(categories: Categories, along: string, step?: number) => Categories | null} Previous
 */
/**
 * @param {Dataset} data
 * @returns {Previous}
 */
export function previousIn(data) {
  /** @type {Map<string, Map<string, number>>} */
  const places = new Map();
  return (categories, along, step = -1) => {
    let place = places.get(along);
    if (!place) {
      place = new Map(categoriesOf(data, along).map((label, at) => [label, at]));
      places.set(along, place);
    }
    const at = place.get(String(categories?.[along]));
    const labels = categoriesOf(data, along);
    if (at === undefined || at + step < 0 || at + step >= labels.length) return null;
    return { ...categories, [along]: labels[at + step] };
  };
}

/** Whether marks of `geometry` draw stretches of a line or an area. @param {string | undefined} geometry */
const lined = (geometry) => geometry === "line" || geometry === "area";

/**
 * The dimension a chart's lines or areas run along (the first on x, else on y), among a mark's categories.
 * @param {Chart} chart
 * @param {Categories} categories
 * @param {string | undefined} [geometry] the chart's now, or the one it moves from
 */
function runsAlong(chart, categories, geometry = configOf(chart)?.geometry) {
  if (!lined(geometry)) return null;
  for (const channel of [configOf(chart)?.channels?.x, configOf(chart)?.channels?.y]) {
    const found = (channel?.set ?? []).map((entry) => entry.name).find((name) => name in categories);
    if (found) return found;
  }
  return null;
}

/** A mark's categories and values, as the engine hands them over. @typedef {Pick<Marker, "categories" | "values">} MarkerValues */
/** Whether the value a mark holds of `measure` is one the data does not have. @typedef {(marker: MarkerValues | null | undefined, measure: string) => boolean} Missing */
/**
 * A text a chart drew: its group ("marker", "axis-x", "axis-y", "legend", "legend-title", "ends"),
 * its corners on the canvas, the box around them and its words.
 * @typedef {{ group: string, corners: Corners, box: Box, text: string }} DrawnLabel
 */
/** @typedef {[number, number][]} Corners */
/** [left, top, right, bottom]. @typedef {[number, number, number, number]} Box */
/**
 * What a chart's marks and labels follow, kept on its track (tracks.js): the
 * state coming (`expect`), whether a mark's value is missing (`missing`),
 * which marks end their series (`ends`), the marks of the frame being drawn whose
 * stretch of a line or area is not (`broken`: a gap before them) and the texts drawn
 * last (`drawnLabels`; the marks' labels of the last frame at rest: `restLabels`), and whether the chart moves through a staged morph's in-between
 * states (`staged`: no label rides on a mark while it travels), and its legs (`legs`: see legsOf);
 * readableLabels sets there the mark drawn under a point (`markAt`: see markAt) and whether
 * a box lies over any (`marksIn`).
 * @typedef {{
 *   expect: (test: Reported | null, previous?: Previous | null, values?: Valued | null) => void,
 *   missing?: Missing,
 *   coming?: (marker: MarkerValues, measure: string) => number | null | undefined,
 *   broken?: Set<string>,
 *   ends?: Ends | null,
 *   drawnLabels: DrawnLabel[],
 *   restLabels?: Set<string>,
 *   key?: Key | null,
 *   keyBefore?: Key | null,
 *   keySize?: number,
 *   scaleRange?: { measure: string, low: number, high: number, from: string, to: string },
 *   staged?: boolean,
 *   legs?: Legs | null,
 *   gapMove?: (marker: Marker) => "leaving" | "arriving" | null,
 *   moment?: string | null,
 *   momentNote?: string | null,
 *   momentLeaving?: { moment: string | null, note: string | null } | null,
 *   markAt?: (point: { x: number, y: number }) => FrameMark | null | undefined,
 *   marksIn?: (box: Box) => boolean | undefined,
 * }} ChartRecord
 */

// Follows which state a chart's marks show. The engine hands a mark's values
// from the state it leaves until its animation completes, then from the one it
// reaches: `record.expect(test)` (before each animate) names the state coming,
// and `record.missing(marker, measure)` says whether the value the mark holds
// now is one the data does not have (`record`: the chart's track). A mark missing
// all its values where it rests (or on both sides of a move) is not drawn: a
// placeholder of a scatter plot would otherwise sit at zero. Nor is the stretch of
// a line or area into a mark from one with no value (see previousIn): it breaks there.
/**
 * @param {Chart} chart
 * @param {ChartRecord} record
 */
export function followMissing(chart, record) {
  /** @type {Reported | null} */
  let now = null;
  /** @type {Reported | null} */
  let from = null;
  /** @type {Reported | null} */
  let ahead = null;
  /** @type {[now: Previous | null, from: Previous | null, ahead: Previous | null]} */
  const before = [null, null, null];
  /** @type {[now: Valued | null, ahead: Valued | null]} */
  const valued = [null, null];
  let moving = false;
  record.expect = (test, previous = null, values = null) => {
    ahead = test;
    before[2] = previous;
    valued[1] = values;
  };
  let first = true;
  listen(chart, "animation-begin", () => {
    // A chart's first state grows from nothing: its marks are read as the state they grow into.
    from = first ? ahead : now;
    now = ahead;
    [before[1], before[0]] = [first ? before[2] : before[0], before[2]];
    valued[0] = valued[1];
    first = false;
    moving = true;
  });
  listen(chart, "animation-complete", () => {
    moving = false;
  });
  /**
   * @param {Reported | null} test
   * @param {MarkerValues | null | undefined} marker
   * @param {string} measure
   */
  const absent = (test, marker, measure) => {
    const value = marker?.values?.[measure];
    if (typeof value !== "number" || Number.isNaN(value)) return true;
    return value === 0 && Boolean(test) && !test?.(marker?.categories ?? {}, measure);
  };
  /** @type {Missing} */
  const missing = (marker, measure) => absent(moving ? from : now, marker, measure);
  record.missing = missing;
  // Mid-move, what a mark will hold once the move completes (the engine hands the values it leaves until then).
  record.coming = (marker, measure) => (moving ? valued[0]?.(marker.categories ?? {}, measure) : undefined);
  const fades = gapFades(chart);
  const shape = followShape(chart);
  /** @param {Marker} marker @param {string[]} measures */
  const gapMove = (marker, measures) => (moving ? gapBetween(from, now, marker, measures) : null);
  record.gapMove = (marker) => gapMove(marker, Object.keys(marker.values ?? {}));
  /** @type {Set<string>} */
  const broken = new Set();
  record.broken = broken;
  listen(chart, "draw-begin", () => broken.clear());
  listen(chart, "plot-marker-draw", (event) => {
    const marker = event.target;
    const measures = Object.keys(marker?.values ?? {});
    if (!marker || !measures.length) return;
    const categories = marker.categories ?? {};
    const change = moving ? geometryChange(shape) : null;
    const along = runsAlong(chart, categories, change ? change.lines : undefined);
    if (along && gapBefore(now, before[0], categories, along, measures) && (!moving || gapBefore(from, before[1], categories, along, measures))) {
      const valued = !measures.every((measure) => missing(marker, measure));
      if (valued) broken.add(marker.index);
      // A month with no report on either side is drawn as a dot: it has no stretch to show it.
      if (valued && gapAfter(chart, now, before[0], categories, along, measures) && (!moving || gapAfter(chart, from, before[1], categories, along, measures))) {
        dot(event.renderingContext, marker.position?.center);
      }
      event.renderingContext.globalAlpha *= change ? change.shown : 0;
      return;
    }
    if (cartesianRectangles(chart) && fadeAtGap(chart, event, gapMove(marker, measures), { moving, ...fades })) return;
    if (!measures.every((measure) => missing(marker, measure))) return;
    const coming = now;
    if (moving && !(coming && measures.every((measure) => !coming(categories, measure)))) return;
    event.renderingContext.globalAlpha = 0;
  });
}

/**
 * A move between marks that draw stretches of a line or an area and marks that do not
 * (columns into a line): the geometry whose stretches the gaps break (`lines`), and how
 * much of a mark a gap hides is shown (`shown`). A column that becomes a stretch across a
 * gap fades out over the move's first quarter, while still a column, and such a stretch
 * fades in over the last quarter, as a column again (as bars fade at a month nobody
 * reported): none vanishes at once, and no gap is bridged on the way. Null for a move
 * within one kind of geometry.
 * @param {Shape} shape
 * @returns {{ lines: string, shown: number } | null}
 */
function geometryChange({ geometry, restedGeometry, progress }) {
  if (lined(geometry) === lined(restedGeometry)) return null;
  return lined(geometry)
    ? { lines: /** @type {string} */ (geometry), shown: Math.max(0, 1 - 4 * progress) }
    : { lines: /** @type {string} */ (restedGeometry), shown: Math.max(0, 4 * progress - 3) };
}

/**
 * Whether a mark moves into a state where the data reports none of its values
 * ("leaving") or out of one ("arriving"), or neither (null).
 * @param {Reported | null} from
 * @param {Reported | null} now
 * @param {Marker} marker
 * @param {string[]} measures
 * @returns {"leaving" | "arriving" | null}
 */
function gapBetween(from, now, marker, measures) {
  if (!from || !now) return null;
  const categories = marker.categories ?? {};
  const [was, will] = [from, now].map((test) => measures.some((measure) => test(categories, measure)));
  // A mark the filter takes out or brings back (no row of it kept, not even a stand-in: a
  // drill's other regions) is no month nobody reported: it comes and goes with the step.
  if (was === will || !from(categories, "") || !now(categories, "")) return null;
  return was ? "leaving" : "arriving";
}

/**
 * Each bar's box where the chart last rested (see fadeAtGap), and how far the move is (0 to 1).
 * @param {Chart} chart
 */
function gapFades(chart) {
  const shape = followShape(chart);
  return {
    get progress() {
      return shape.progress;
    },
    rested: /** @type {Map<string, Box>} */ (new Map()),
  };
}

/**
 * Into a month nobody reported, a bar fades where it stood; out of one, it fades in over
 * the move's last quarter, as it comes to its length. The engine would shrink it to
 * nothing and grow it back, reading as no sales. A bar at rest leaves its box in `rested`.
 * Returns whether the bar is drawn here (held where it stood) rather than by the engine.
 * @param {Chart} chart
 * @param {ChartEvents["plot-marker-draw"]} event
 * @param {"leaving" | "arriving" | null} gap
 * @param {{ moving: boolean, progress: number, rested: Map<string, Box> }} state
 */
function fadeAtGap(chart, event, gap, { moving, progress, rested }) {
  const [context, marker] = [event.renderingContext, event.target];
  if (!marker) return false;
  if (!moving && !gap) {
    const box = canvasBox(chart, event.detail.rect, event.detail.relative);
    if (box) rested.set(marker.index, box);
  }
  const box = gap === "leaving" ? rested.get(marker.index) : null;
  if (box) {
    event.preventDefault();
    context.globalAlpha *= 1 - progress;
    context.fillRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
    return true;
  }
  if (gap === "arriving") context.globalAlpha *= Math.min(1, Math.max(0, 4 * progress - 3));
  return false;
}

/**
 * Whether the mark before `categories` along `along` has no value of `measures` in a state.
 * @param {Reported | null} test
 * @param {Previous | null} previous
 * @param {Categories} categories
 * @param {string} along
 * @param {string[]} measures
 */
function gapBefore(test, previous, categories, along, measures) {
  const earlier = test && previous ? previous(categories, along) : null;
  return Boolean(earlier && measures.every((measure) => !test?.(earlier, measure)));
}

/**
 * Whether a line's mark stands alone: the mark after it along `along` has no value of
 * `measures` in a state either (or there is none), so no stretch leaves it.
 * @param {Chart} chart
 * @param {Reported | null} test
 * @param {Previous | null} previous
 * @param {Categories} categories
 * @param {string} along
 * @param {string[]} measures
 */
function gapAfter(chart, test, previous, categories, along, measures) {
  if (!test || !previous || configOf(chart)?.geometry !== "line") return false;
  const later = previous(categories, along, 1);
  return !later || measures.every((measure) => !test(later, measure));
}

/**
 * A dot at `center` in the colour and alpha a line's stretch is about to be drawn with.
 * @param {CanvasRenderingContext2D} context
 * @param {import("vizzu").Geom.Point | undefined} center
 */
function dot(context, center) {
  if (!center) return;
  context.save();
  context.beginPath();
  context.arc(center.x, center.y, Math.max(3, context.lineWidth * 1.5), 0, 2 * Math.PI);
  context.fillStyle = context.strokeStyle;
  context.fill();
  context.restore();
}

/** @param {Dataset} data */
function describeSeries(data) {
  /** @type {Map<string, Series["type"]>} */
  const kinds = new Map();
  for (const series of data.series) kinds.set(series.name, series.type);
  return kinds;
}

/**
 * @param {Filter | null | undefined} node
 * @param {Set<string>} found
 */
function rawCodes(node, found) {
  if (!node || typeof node !== "object") return found;
  if ("raw" in node && typeof node.raw === "string") found.add(node.raw);
  if ("and" in node && node.and) node.and.forEach((part) => rawCodes(part, found));
  if ("or" in node && node.or) node.or.forEach((part) => rawCodes(part, found));
  if ("not" in node && node.not) rawCodes(node.not, found);
  return found;
}

// An author's own JavaScript filters (imported from ipyvizzu-story) load as
// one module from a blob URL: no eval, so a strict CSP still holds.
/**
 * @param {{ filter?: Filter | null }[]} steps
 * @returns {Promise<RawFilters>}
 */
export async function loadRawFilters(steps) {
  const codes = [...steps.reduce((found, step) => rawCodes(step.filter, found), /** @type {Set<string>} */ (new Set()))];
  if (!codes.length) return new Map();
  const source = `export default [\n${codes.map((code) => `(${code}),`).join("\n")}\n];\n`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  /** @type {{ default: Function[] }} */
  const { default: functions } = await import(url);
  return new Map(codes.map((code, i) => [code, functions[i]]));
}

// Compile a declarative filter ({in}, {range}, {and}, {or}, {not}, {raw})
// into a record predicate. Names are checked first: a filter that throws
// inside Vizzu poisons the chart's animation queue.
/**
 * @param {Filter} spec
 * @param {Dataset} data
 * @param {RawFilters} [raw]
 * @returns {Keep}
 */
export function compileFilter(spec, data, raw = new Map()) {
  const kinds = describeSeries(data);
  /**
   * @param {Filter} node
   * @returns {Keep}
   */
  const build = (node) => {
    if ("raw" in node && typeof node.raw === "string") {
      const own = raw.get(node.raw);
      if (!own) throw new StepError("filter: a JavaScript filter was not loaded (call loadRawFilters first)");
      return /** @type {Keep} */ (own); // the author's own function, called with each record
    }
    if ("in" in node && node.in) {
      const { column, values } = node.in;
      if (kinds.get(column) !== "dimension") throw new StepError(`filter: ${JSON.stringify(column)} is not a dimension of the data`);
      /** @type {Set<string | number | null>} */
      const allowed = new Set(values);
      return (record) => allowed.has(record[column]);
    }
    if ("range" in node && node.range) {
      const { column, min, max } = node.range;
      if (kinds.get(column) !== "measure") throw new StepError(`filter: ${JSON.stringify(column)} is not a measure of the data`);
      const low = min ?? -Infinity;
      const high = max ?? Infinity;
      return (record) => {
        const value = /** @type {number} */ (record[column]); // a measure's: a number (NaN where missing)
        return value >= low && value <= high;
      };
    }
    if ("and" in node && node.and) {
      const parts = node.and.map(build);
      return (record) => parts.every((part) => part(record));
    }
    if ("or" in node && node.or) {
      const parts = node.or.map(build);
      return (record) => parts.some((part) => part(record));
    }
    if ("not" in node && node.not) {
      const part = build(node.not);
      return (record) => !part(record);
    }
    throw new StepError(`filter: unknown operation ${JSON.stringify(Object.keys(node))}`);
  };
  const predicate = build(spec);
  return (record) => {
    try {
      return predicate(record);
    } catch {
      return false;
    }
  };
}

/** A target as the engine takes it: a step's data, config and style. @typedef {import("vizzu").LazyTarget & { style?: object }} Target */
/**
 * A step as the engine plays it: its target state, animation options and dataset.
 * A staged step (see `_motion.py`) also passes through in-between states (`via`): each a
 * config the marks reach with its own options, the last leg (no config) reaching the target.
 * A step with nothing to follow mark by mark is a cross-fade (`crossFade`): the player fades
 * a picture of the chart before out over the new one, drawn at once.
 * @typedef {{ target: Target, options: import("vizzu").Anim.Options, dataset: string, via: Leg[] | null, crossFade?: boolean }} Next
 */
/**
 * One leg of a staged step: the state it reaches (none: the step's own), in what style, how,
 * and whose layout that state draws: the chart the step leaves (before) or its own (after).
 * @typedef {{ config?: Record<string, unknown>, style?: Record<string, unknown>, animation?: import("vizzu").Anim.Options, side?: "before" | "after" }} Leg
 */

// The animate() target and options for one step. `datasets` maps dataset
// ids to prepared Vizzu data; `current` is the id the chart holds now.
// "filter": null shows every row; no "filter" key keeps the current one.
/**
 * @param {Step} step
 * @param {Record<string, Dataset>} datasets
 * @param {string | null} current
 * @param {RawFilters} [raw]
 * @returns {Next}
 */
export function stepTarget(step, datasets, current, raw = new Map()) {
  const datasetId = step.data ?? "main";
  const data = datasets[datasetId];
  if (!data) throw new StepError(`step refers to an unknown dataset ${JSON.stringify(datasetId)}`);
  /** @type {Target} */
  const target = { config: engineConfig(step) };
  if (step.style) target.style = step.style;
  /** @type {{ series?: Series[], filter?: Keep | null }} */
  const update = datasetId === current ? {} : { ...data };
  if ("filter" in step) update.filter = step.filter ? compileFilter(step.filter, data, raw) : null;
  // The engine takes a filter alone, keeping its data (its types ask for the series too).
  if (Object.keys(update).length) target.data = /** @type {import("vizzu").Data.Set} */ (update);
  const { via, crossFade, ...options } = step.animation ?? {};
  return {
    target,
    options: /** @type {import("vizzu").Anim.Options} */ (options),
    dataset: datasetId,
    via: Array.isArray(via) && via.length ? /** @type {Leg[]} */ (via) : null,
    crossFade: crossFade === true,
  };
}

/**
 * The keyframes a staged step plays (null: it is played as one move): each in-between
 * state of `next.via` with the step's style (its layout at once) in the colours the
 * story gives that state's colour dimension, then the step's own target.
 * @param {Next} next
 * @param {Dataset} data
 * @param {StoryDocument["colors"] | undefined} colors
 * @param {string | null} [plain]
 * @returns {import("vizzu").Anim.Keyframes | null}
 */
export function keyframes(next, data, colors, plain = null) {
  if (!next.via) return null;
  const style = next.target.style ?? {};
  const { colorPalette: _, ...marker } = style.plot?.marker ?? {};
  // What a leg's own style sets (a pie's strip: marks touching) is the leg's alone; the
  // step's own state sets it back, or the marks of every chart after it would touch too.
  const legs = next.via.flatMap((leg) => Object.keys(/** @type {import("vizzu").Styles.Chart} */ (leg.style ?? {}).plot?.marker ?? {}));
  const own = { ...Object.fromEntries(legs.map((key) => [key, null])), ...style.plot?.marker };
  const last = legs.length ? { ...next.target, style: { ...style, plot: { ...style.plot, marker: own } } } : next.target;
  return next.via.map((leg) => {
    const options = leg.animation ?? {};
    if (!leg.config) return { target: last, options };
    // In the legend's place the player's key, as in the step's own state.
    const legend = next.target.config && "legend" in next.target.config ? { legend: next.target.config.legend } : {};
    const config = /** @type {NonNullable<Target["config"]>} */ ({ ...leg.config, ...legend });
    const step = /** @type {Step} */ ({ config });
    const own = /** @type {import("vizzu").Styles.Chart} */ (leg.style ?? {});
    const kept = { ...style, plot: { ...style.plot, ...own.plot, marker: { ...marker, ...own.plot?.marker } } };
    return { target: withColors({ config, style: kept }, step, data, colors, plain), options };
  });
}

/**
 * The legs of a staged step as its colours follow them: where each ends (a share of the
 * whole move, by its seconds) and what it colours by (null: what the leg before did).
 * @typedef {{ end: number, color: string[] | null }[]} Legs
 */
/**
 * @param {Next} next
 * @returns {Legs | null}
 */
export function legsOf(next) {
  if (!next.via) return null;
  const seconds = next.via.map((leg) => legSeconds(/** @type {Record<string, unknown>} */ (leg.animation ?? {})));
  const total = seconds.reduce((sum, part) => sum + part, 0);
  let at = 0;
  return next.via.map((leg, k) => {
    at += seconds[k] ?? 0;
    const config = leg.config ?? next.target.config;
    return { end: total ? at / total : (k + 1) / seconds.length, color: channelSeries(/** @type {Step} */ ({ config }), "color") };
  });
}

/**
 * The seconds one leg plays: its duration, or longer where a channel's delay and duration end later.
 * @param {Record<string, unknown>} options
 */
function legSeconds(options) {
  const own = (durationSeconds(options.delay) ?? 0) + (durationSeconds(options.duration) ?? 1);
  const channels = Object.values(options)
    .filter((value) => value !== null && typeof value === "object")
    .map((value) => {
      const channel = /** @type {Record<string, unknown>} */ (value);
      return (durationSeconds(channel.delay) ?? 0) + (durationSeconds(channel.duration) ?? 0);
    });
  return Math.max(own, ...channels);
}

/** A step's config as the engine reads it (the document keeps it as the author wrote it). @param {Step} step */
const engineConfig = (step) => /** @type {NonNullable<Target["config"]>} */ (step.config ?? {});
/** A step's style as the engine reads it. @param {Step} step */
const engineStyle = (step) => /** @type {import("vizzu").Styles.Chart | undefined} */ (step.style);

/**
 * A dimension's categories in the data's order (an index form's own list, else
 * its labels as they first come); none when `name` is no dimension of the data.
 * @param {Dataset} data
 * @param {string} name
 * @returns {string[]}
 */
function categoriesOf(data, name) {
  const series = data.series.find((s) => s.name === name && s.type === "dimension");
  if (!series || series.type !== "dimension") return [];
  if (series.categories) return series.categories;
  return [...new Set(/** @type {string[]} */ (series.values))]; // a dimension's labels, in the plain form
}

// --- one colour per category ------------------------------------------------
// The engine colours a mark by its category's place in the data; the story
// gives each category one colour for all its slides (`story.colors`). A step
// that colours by one such dimension gets the palette that puts each
// category's colour at its place, unless its own style sets a palette. A step
// that colours by nothing draws its marks in `plain` (when given): a story
// whose categories own the palette's colours must not lend one of them to
// marks that mean no category.
/**
 * @param {Target} target
 * @param {Step} step
 * @param {Dataset} data
 * @param {StoryDocument["colors"] | undefined} colors
 * @param {string | null} [plain]
 * @returns {Target}
 */
export function withColors(target, step, data, colors, plain = null) {
  const names = channelSeries(step, "color");
  if (names === null) return target;
  const dims = names.filter((name) => data.series.some((s) => s.name === name && s.type === "dimension"));
  if (engineStyle(step)?.plot?.marker?.colorPalette) return target;
  let palette;
  if (!names.length && plain) palette = plain;
  else if (dims.length === 1 && colors?.[dims[0]]) {
    const categories = categoriesOf(data, dims[0]);
    const own = colors[dims[0]];
    palette = categories.map((category) => own[category] ?? "#888888").join(" ");
  } else return target;
  const style = target.style ?? {};
  const plot = style.plot ?? {};
  const marker = { ...(plot.marker ?? {}), colorPalette: palette };
  return { ...target, style: { ...style, plot: { ...plot, marker } } };
}

/**
 * The series a step puts on a channel of the engine's (none: `[]`), or null when the step leaves the channel as it was.
 * @param {Step} step
 * @param {"x" | "y" | "color" | "lightness"} name
 * @returns {string[] | null}
 */
export function channelSeries(step, name) {
  const config = engineConfig(step);
  const channel = config.channels?.[name] ?? config[name];
  if (channel === undefined) return null;
  const set = channel && typeof channel === "object" && !Array.isArray(channel) ? ("set" in channel ? channel.set : undefined) : channel;
  const entries = /** @type {(string | { name: string })[]} */ (Array.isArray(set) ? set : set ? [set] : []);
  return entries.map((entry) => (typeof entry === "string" ? entry : entry?.name));
}

/**
 * `target` with its x axis's labels set level when the step runs months along x: the axis
 * then reads by year (see drawScaleLabel), a few short labels that never need turning.
 * A step that puts something else on x gives the engine its own choice back.
 * @param {Target} target
 * @param {Step} step
 * @param {Shown} shown
 * @returns {Target}
 */
export function withTimeAxis(target, step, shown) {
  const names = channelSeries(step, "x");
  if (names === null) return target;
  const months = names.some((name) => shown.monthly(name));
  /** @type {import("vizzu").Styles.AxisLabel} */
  const label = { ...target.style?.plot?.xAxis?.label, orientation: months ? "horizontal" : null, angle: months ? 0 : null };
  const style = target.style ?? {};
  const plot = style.plot ?? {};
  const xAxis = { ...plot.xAxis, label };
  return { ...target, style: { ...style, plot: { ...plot, xAxis } } };
}

// --- the key above the plot ---------------------------------------------------
// A chart coloured by one of the story's dimensions names its colours in a key
// above the plot, its entries in a row that wraps (never a side column that eats
// the plot and clips "Asia Pacific"); a key of one entry says nothing and is
// left out. The engine draws no legend of its own for such a chart.

/**
 * A key: the colour dimension and, for each of its categories the data holds, its label and colour;
 * or, for a chart coloured by a measure, that measure (`scale`) and no entries.
 * @typedef {{ dimension: string, entries: { label: string, colour: string }[], scale?: string }} Key
 */

/**
 * The measure a step colours its marks by (on lightness, or alone on colour): "" for none,
 * null when the step leaves its channels as they were. Its scale is drawn as a key above
 * the plot, in place of the engine's side legend.
 * @param {Step} step
 * @param {Shown} shown
 * @returns {string | null}
 */
export function scaleMeasure(step, shown) {
  const lightness = channelSeries(step, "lightness");
  const colour = channelSeries(step, "color");
  if (lightness === null && colour === null) return step.complete ? "" : null;
  const legend = engineConfig(step).legend;
  if (!(legend === undefined || legend === "lightness" || legend === "color" || legend === "auto")) return "";
  const measureOf = (/** @type {string[] | null} */ names) => (names?.length === 1 && shown.isMeasure(names[0]) ? names[0] : "");
  return measureOf(colour) || measureOf(lightness);
}

/**
 * A scale key's words: the measure's name, then its drawn range with the unit once
 * ("Demand: 1.2K … 10.2K units"); where the name says the unit already ("Units: 1.2K …
 * 10.2K"), neither end says it again.
 * @param {string} measure
 * @param {number} low
 * @param {number} high
 * @param {Shown} shown
 */
export function scaleWords(measure, low, high, shown) {
  const name = shown.name(measure);
  const unit = shown.unit(measure);
  const said = unit !== null && name.toLowerCase().split(/\s+/).includes(unit.toLowerCase());
  return { title: `${name}:`, low: shown.bare(measure, low), high: said ? shown.bare(measure, high) : shown.number(measure, high) };
}

/**
 * The dimension a step's key names: "" for none (colour by nothing, a measure or
 * several series, or a legend the step sets itself), null when the step leaves colour as it was.
 * @param {Step} step
 * @param {Shown} shown
 * @returns {string | null}
 */
export function keyDimension(step, shown) {
  const names = channelSeries(step, "color");
  const legend = engineConfig(step).legend;
  // A step that sets the whole chart and colours by nothing has no key.
  if (names === null) return legend === undefined && !step.complete ? null : "";
  const [name] = names;
  const own = names.length === 1 && !shown.isMeasure(name) && shown.colours(name);
  return own && (legend === undefined || legend === "color" || legend === "auto") ? name : "";
}

/**
 * The key of `dimension` over the rows `keep` keeps (placeholders left out), in the data's order.
 * @param {string} dimension
 * @param {Dataset} data
 * @param {number | null} placeholdersFrom
 * @param {((row: Row) => boolean) | null} keep
 * @param {Shown} shown
 * @returns {Key}
 */
export function keyFor(dimension, data, placeholdersFrom, keep, shown) {
  const columns = decoded(data);
  const values = columns.find(([name]) => name === dimension)?.[1] ?? [];
  const rows = Math.min(placeholdersFrom ?? Infinity, values.length);
  /** @type {Set<string>} */
  const held = new Set();
  for (let row = 0; row < rows; row += 1) if (!keep || keep(recordAt(columns, row))) held.add(String(values[row]));
  const entries = categoriesOf(data, dimension)
    .filter((category) => held.has(String(category)))
    .map((category) => ({ label: shown.label(dimension, category), colour: shown.colour(dimension, category) ?? "#888" }));
  return { dimension, entries };
}

// The key's type size in pixels, and its line height, swatch and gaps in sizes; the key
// sits KEY_TOP pixels into the plot's box from its top and left (_key.py's, which
// `ipyreport check` lays keys out with).
// <twins:key> written by `python -m ipyreport._twins` from _key.py; do not edit
export const KEY = {"size": 13, "line": 1.7, "swatch": 0.8, "gap": 0.45, "spacing": 1.3};
export const KEY_TOP = 4;
// </twins:key>
// The type of a chart whose style names none (the engine's own).
const KEY_FAMILY = "Roboto, sans-serif";

/**
 * The type family the chart's texts are drawn in (a theme's font), which the key and the
 * moment the player draws share: one family on the page and in the chart.
 * @param {Chart} chart
 */
const familyOf = perTask((chart) => {
  // (the style as the engine resolves it: a family the story leaves unset reads "null" in its own)
  const family = /** @type {{ fontFamily?: unknown }} */ (chart.getComputedStyle() ?? {}).fontFamily;
  return typeof family === "string" && family.trim() && family !== "null" ? family : KEY_FAMILY;
});

/**
 * Where each entry of a key goes in rows `width` wide: `x` from the left, `row` from the top.
 * @param {Key} key
 * @param {number} width
 * @param {(text: string) => number} measure the text's width in the key's type
 * @param {number} size the key's type size
 */
export function layKey(key, width, measure, size) {
  if (key.scale) return { placed: [], height: size * KEY.line };
  const swatch = size * KEY.swatch;
  let [x, row] = [0, 0];
  const placed = key.entries.map((entry) => {
    const span = swatch + size * KEY.gap + measure(entry.label);
    if (x > 0 && x + span > width) [x, row] = [0, row + 1];
    const at = { ...entry, x, row };
    x += span + size * KEY.spacing;
    return at;
  });
  return { placed, height: (row + 1) * size * KEY.line };
}

/**
 * Draw the chart's key (record.key) in the top of its plot's box, each label kept with the frame's texts.
 * While the chart moves from another key (record.keyBefore), the keys change as the marks'
 * colours do (see keepColours): the old one fades out in the move's first half, the new one
 * fades in in its second, so the key never names colours the marks do not wear yet.
 * @param {ChartEvents["plot-area-draw"]} event
 * @param {{ record: ChartRecord, frame: () => Frame, shown: Shown, shape: Shape }} labels
 * @param {{ x: number, y: number, width: number }} box the plot's box: its left, top and width
 * @param {{ size: number, ink: string, family: string }} type
 */
function drawKey(event, { record, frame, shown, shape }, box, type) {
  let [key, share] = [record.key, 1];
  const before = record.keyBefore;
  if (shape.moving && before !== undefined && JSON.stringify(before) !== JSON.stringify(key)) {
    const stage = colourStage(colourMoment(shape, record.legs).progress);
    [key, share] = [stage.now ? key : before, stage.share];
  }
  if (!key || share <= 0) return;
  const context = event.renderingContext;
  context.save();
  context.globalAlpha *= share;
  if (key.scale) drawScaleKey(context, key.scale, { record, frame, shown }, box, type);
  else drawEntries(context, key, frame, box, type);
  context.restore();
}

/**
 * Draw a key's entries, each a round swatch and its label, in rows in the top of the plot's box.
 * @param {CanvasRenderingContext2D} context
 * @param {Key} key
 * @param {() => Frame} frame
 * @param {{ x: number, y: number, width: number }} box
 * @param {{ size: number, ink: string, family: string }} type
 */
function drawEntries(context, key, frame, box, type) {
  context.font = `${type.size}px ${type.family}`;
  const { placed } = layKey(key, box.width, (text) => context.measureText(text).width, type.size);
  const drawn = frame().get("legend") ?? [];
  const swatch = type.size * KEY.swatch;
  context.textBaseline = "middle";
  for (const { label, colour, x, row } of placed) {
    const left = box.x + x;
    const middle = box.y + (row + 0.5) * type.size * KEY.line;
    context.fillStyle = colour;
    context.beginPath();
    context.arc(left + swatch / 2, middle, swatch / 2, 0, 2 * Math.PI);
    context.fill();
    const start = left + swatch + type.size * KEY.gap;
    const width = context.measureText(label).width;
    context.fillStyle = type.ink;
    context.fillText(label, start, middle);
    const top = middle - type.size / 2;
    drawn.push({ corners: [[start, top], [start + width, top], [start + width, top + type.size], [start, top + type.size]], text: label });
  }
  frame().set("legend", drawn);
}

// A scale key's strip is this many sizes long, and half a size high.
const SCALE_STRIP = 4;

/**
 * Draw a scale key in the top of the plot's box: the measure's name, its smallest drawn
 * value, a strip from the colour of the lightest mark to that of the darkest, and its
 * largest drawn value with the unit. The range is the last complete frame's (record.scaleRange).
 * @param {CanvasRenderingContext2D} context
 * @param {string} measure
 * @param {{ record: ChartRecord, frame: () => Frame, shown: Shown }} labels
 * @param {{ x: number, y: number, width: number }} box
 * @param {{ size: number, ink: string, family: string }} type
 */
function drawScaleKey(context, measure, { record, frame, shown }, box, type) {
  const range = record.scaleRange;
  if (!range || range.measure !== measure) return;
  const words = scaleWords(measure, range.low, range.high, shown);
  context.save();
  context.font = `${type.size}px ${type.family}`;
  context.textBaseline = "middle";
  const middle = box.y + 0.5 * type.size * KEY.line;
  const gap = type.size * KEY.gap;
  const widths = [words.title, words.low, words.high].map((text) => context.measureText(text).width);
  // The strip shrinks before any text leaves the plot's box.
  const strip = Math.max(type.size, Math.min(type.size * SCALE_STRIP, box.width - widths.reduce((a, b) => a + b, 0) - 4 * gap));
  let x = box.x;
  // The name is kept with the frame's texts as the key's title, the two numbers as its labels.
  /** @param {string} text @param {string} group */
  const write = (text, group) => {
    const width = context.measureText(text).width;
    context.fillStyle = type.ink;
    context.fillText(text, x, middle);
    const top = middle - type.size / 2;
    const drawn = frame().get(group) ?? [];
    drawn.push({ corners: [[x, top], [x + width, top], [x + width, top + type.size], [x, top + type.size]], text });
    frame().set(group, drawn);
    x += width + gap;
  };
  write(words.title, "legend-title");
  write(words.low, "legend");
  const gradient = context.createLinearGradient(x, 0, x + strip, 0);
  gradient.addColorStop(0, range.from);
  gradient.addColorStop(1, range.to);
  context.fillStyle = gradient;
  context.fillRect(x, middle - type.size / 4, strip, type.size / 2);
  x += strip + gap;
  write(words.high, "legend");
  context.restore();
}

/**
 * Keep on record.scaleRange the smallest and largest value of `measure` among the marks
 * each complete frame drew, and the colours the engine painted those two marks in.
 * @param {Chart} chart
 * @param {ChartRecord} record
 */
function followScale(chart, record) {
  /** @type {{ low: number, high: number, from: string, to: string } | null} */
  let seen = null;
  listen(chart, "draw-begin", () => {
    seen = null;
  });
  listen(chart, "plot-marker-draw", (event) => {
    const measure = record.key?.scale;
    const value = measure ? event.target?.values?.[measure] : undefined;
    const context = event.renderingContext;
    if (typeof value !== "number" || !Number.isFinite(value) || context.globalAlpha < 0.5) return;
    const colour = String(context.fillStyle);
    if (!seen) seen = { low: value, high: value, from: colour, to: colour };
    if (value < seen.low) [seen.low, seen.from] = [value, colour];
    if (value > seen.high) [seen.high, seen.to] = [value, colour];
  });
  listen(chart, "draw-complete", () => {
    const measure = record.key?.scale;
    if (!measure || !seen) return;
    const was = record.scaleRange;
    const now = { measure, ...seen };
    record.scaleRange = now;
    // The key is drawn before the marks: a frame whose range changed is drawn again with it.
    const same = was && Object.entries(now).every(([name, value]) => was[/** @type {keyof typeof now} */ (name)] === value);
    if (!same) setTimeout(() => redraw(chart), 0);
  });
}

/**
 * Draw the chart again as it stands (after what its marks are told to show changed).
 * @param {Chart} chart
 */
export function redraw(chart) {
  const rendering = /** @type {{ update: () => void }} */ (/** @type {unknown} */ (chart.feature.rendering));
  rendering.update();
}

/** The story's formats, names and colours (see display). @typedef {ReturnType<typeof display>} Shown */

// --- how numbers and dates read ----------------------------------------------
// The JavaScript translation of ipyreport.formats.format_number: a story's
// `formats` (one per measure) are resolved in Python; this applies them.
// A browser test runs both over the same numbers.

// The seconds an engine duration means: a number of seconds, "1.5s", "500ms"
// or "2" (seconds); null when it is none of these. The twin of Python's
// ipyreport.document.duration_seconds (tests/conformance/document.json holds both).
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(s|ms)?\s*$/;
/**
 * @param {unknown} value
 * @returns {number | null}
 */
export function durationSeconds(value) {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : null;
  const found = typeof value === "string" ? DURATION.exec(value) : null;
  if (!found) return null;
  const number = Number(found[1]);
  return found[2] === "ms" ? number / 1000 : number;
}

// toFixed on a non-negative number: the exact value rounded, a tie going up.
/**
 * @param {number | null | undefined} value
 * @param {NumberFormat} format
 * @param {boolean | "exact"} [trim] no zeros at the end of the fraction; "exact": only when
 *   the number is exactly what is left, as a sentence says it (1,000,000 reads "1M", 999,960 "1.0M")
 */
export function formatNumber(value, format, trim = false) {
  // A log series holds base-10 logarithms: it reads as the number itself.
  if (format.log && typeof value === "number" && Number.isFinite(value)) value = 10 ** value;
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  let magnitude = Math.abs(value);
  let symbol = "";
  let digits = format.fixed ?? (Number.isInteger(magnitude) ? 0 : 2);
  const scales = /** @type {[factor: number, word: string][]} */ (format.scales); // factor and word, smallest first
  if (format.always) {
    const [factor, word] = scales[0];
    [magnitude, digits, symbol] = [magnitude / factor, format.decimals, word];
  } else {
    for (let i = scales.length - 1; i >= 0; i -= 1) {
      const [factor, word] = scales[i];
      const scaled = magnitude / factor;
      // The smallest scale starts at its factor; a larger one as soon as the
      // rounded number reads 1 (999,960 is 1.0M, not 1000.0K).
      if (magnitude >= factor || (i > 0 && Number(scaled.toFixed(format.decimals)) >= 1)) {
        [magnitude, digits, symbol] = [scaled, format.decimals, word];
        break;
      }
    }
  }
  let text = magnitude.toFixed(digits);
  // A positive number too small for its digits reads as less than the smallest it can
  // show ("<0.1%", "<$0.01"), never as zero.
  const below = value > 0 && !/[1-9]/.test(text);
  if (below) text = digits > 0 ? `0.${"0".repeat(digits - 1)}1` : "1";
  // "Exact" within a billionth: a share computed as 28.000000000000004 is 28.
  const exact = trim === "exact" && !below && Math.abs(Number(text) - magnitude) <= 1e-9 * Math.max(1, magnitude);
  if ((trim === true || exact) && text.includes(".") && !text.includes("e")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  let [whole, fraction = ""] = text.split(".");
  if (whole.length > 3 && !text.includes("e")) {
    const head = whole.length % 3 || 3;
    let grouped = whole.slice(0, head);
    for (let i = head; i < whole.length; i += 3) grouped += format.group + whole.slice(i, i + 3);
    whole = grouped;
  }
  const number = whole + (fraction ? format.point + fraction : "");
  const sign = value < 0 && /[1-9]/.test(text) ? "-" : below ? "<" : "";
  return `${sign}${format.prefix}${number}${symbol}${format.suffix}`;
}

/**
 * A number as a sentence says it: without the zeros an exact number does not need
 * ("1M orders"), unless its format fixes its digits (Display.number(said=True)).
 * @param {number | null} value
 * @param {NumberFormat} format
 */
const saidNumber = (value, format) => formatNumber(value, format, format.fixed === null || format.fixed === undefined ? "exact" : false);

const COUNTING = new Set(["count", "distinct"]);
const AGGREGATE = /^(sum|count|min|max|mean|distinct)\((.*)\)$/;
const FIRST_OF_MONTH = /^\d{4}-\d{2}-01$/;
// A format's suffix that is a word of its own (" units"), not a symbol ("%", " €").
const UNIT_WORD = /^\s+\p{L}/u;

// What a story shows for a number of a channel entry or table column
// ("Revenue", "mean(Units)", "count(Orders)") and for a category.
/**
 * @param {Partial<Pick<StoryDocument, "formats" | "plainFormat" | "labels" | "names" | "colors">>} story
 */
export function display(story) {
  const formats = story.formats ?? {};
  /** @type {NumberFormat} */
  const plain = story.plainFormat ?? { prefix: "", suffix: "", decimals: 1, fixed: null, scales: [], always: false, group: ",", point: "." };
  const labels = story.labels ?? {};
  const names = story.names ?? {};
  /** @param {string} column */
  const formatOf = (column) => {
    const [, aggregator, name] = AGGREGATE.exec(column) ?? [null, "sum", column];
    return COUNTING.has(aggregator) ? plain : formats[name] ?? plain;
  };
  return {
    formatOf,
    /**
     * A number of `column` in its format; anything not a number (the engine types
     * a mark's values as labels or numbers) reads as missing, "–".
     * @param {string} column
     * @param {number | string | null | undefined} value
     * @param {boolean} [trim]
     */
    number: (column, value, trim = false) => formatNumber(typeof value === "number" ? value : null, formatOf(column), trim),
    // A number of `column` as a sentence says it (see saidNumber).
    /** @type {(column: string, value: unknown) => string} */
    said: (column, value) => saidNumber(typeof value === "number" ? value : null, formatOf(column)),
    // A share of a whole (0.393) as the story writes one in its words: "39.3%".
    /** @param {number} value */
    share: (value) => formatNumber(value * 100, { ...plain, prefix: "", suffix: "%", decimals: 1, fixed: 1, scales: [], always: false }),
    /**
     * A number of `column` without its unit word (" units", " orders"), for an axis whose title says it once.
     * @param {string} column
     * @param {number | string | null | undefined} value
     * @param {boolean} [trim]
     */
    bare: (column, value, trim = false) => {
      const format = formatOf(column);
      const plainer = UNIT_WORD.test(format.suffix) ? { ...format, suffix: "" } : format;
      return formatNumber(typeof value === "number" ? value : null, plainer, trim);
    },
    /**
     * @param {string} dimension
     * @param {string | number} value
     */
    label: (dimension, value) => labels[dimension]?.[value] ?? String(value),
    // A column's (or aggregate's) name as the audience reads it; Python names them all.
    /** @param {string} column */
    name: (column) => names[column] ?? column,
    // The colour the story gives a category of a colour dimension (story.colors), or null.
    /** @type {(dimension: string, category: string | number) => string | null} */
    colour: (dimension, category) => story.colors?.[dimension]?.[category] ?? null,
    // Whether the story gives `dimension`'s categories their colours.
    /** @param {string} dimension */
    colours: (dimension) => Boolean(story.colors?.[dimension]),
    // Every colour the story gives a category, once each.
    palette: () => [...new Set(Object.values(story.colors ?? {}).flatMap((own) => Object.values(own)))],
    /**
     * Whether `dimension` is a run of months longer than a year (first-of-month dates):
     * its axis reads by year, a tick for each month, not a label for each.
     * @param {string} dimension
     */
    monthly: (dimension) => {
      const values = Object.keys(labels[dimension] ?? {});
      return values.length > 12 && values.every((value) => FIRST_OF_MONTH.test(value));
    },
    /**
     * The unit word `column`'s numbers end in ("units"), or null when they end in none.
     * @param {string} column
     */
    unit: (column) => {
      const suffix = formatOf(column).suffix;
      return UNIT_WORD.test(suffix) ? suffix.trim() : null;
    },
    /** @param {string} column */
    isMeasure: (column) => {
      const [, , name] = AGGREGATE.exec(column) ?? [null, "sum", column];
      return name in formats;
    },
  };
}

// The engine's own number texts on axes and legends, plain, so the hooks below
// read the value back. Mark labels are rewritten from the marks' own values, so
// the engine only lays them out: short texts like ours keep them next to their marks.
export const PLAIN_NUMBERS = { numberFormat: "none", maxFractionDigits: 12 };
const SHORT_NUMBERS = { numberFormat: "prefixed", maxFractionDigits: 1 };
export const PLAIN_NUMBER_STYLE = {
  plot: { marker: { label: SHORT_NUMBERS }, xAxis: { label: PLAIN_NUMBERS }, yAxis: { label: PLAIN_NUMBERS } },
  legend: { label: PLAIN_NUMBERS },
};

// The canvas corners of a text, in order around it.
/**
 * @param {Transform} transform
 * @param {number} x
 * @param {number} y
 * @param {number} width
 * @param {number} height
 * @returns {Corners}
 */
function cornersOf(transform, x, y, width, height) {
  const [[a, c, e], [b, d, f]] = transform;
  return [[x, y], [x + width, y], [x + width, y + height], [x, y + height]].map(([px, py]) => [
    a * px + c * py + e,
    b * px + d * py + f,
  ]);
}

// [left, top, right, bottom] around corners.
/**
 * @param {Corners} corners
 * @returns {Box}
 */
const boxAround = (corners) => [
  Math.min(...corners.map((p) => p[0])),
  Math.min(...corners.map((p) => p[1])),
  Math.max(...corners.map((p) => p[0])),
  Math.max(...corners.map((p) => p[1])),
];

// Whether two drawn texts come closer than `gap` pixels, each a quadrilateral
// (a rotated label's true outline, not its bounding box): no edge of either
// separates them by that much.
/**
 * @param {Corners} p
 * @param {Corners} q
 * @param {number} gap
 */
function crowds(p, q, gap) {
  for (const shape of [p, q]) {
    for (let i = 0; i < 4; i += 1) {
      const [x1, y1] = shape[i];
      const [x2, y2] = shape[(i + 1) % 4];
      const [nx, ny] = [y1 - y2, x2 - x1];
      /** @param {Corners} corners */
      const reach = (corners) => corners.map(([x, y]) => x * nx + y * ny);
      const [a, b] = [reach(p), reach(q)];
      const room = gap * Math.hypot(nx, ny);
      if (Math.max(...a) + room <= Math.min(...b) || Math.max(...b) + room <= Math.min(...a)) return false;
    }
  }
  return true;
}

// A CSS colour the engine sets ("#rrggbb" or "rgba(r, g, b, a)") as [r, g, b, a], or null.
/**
 * @param {string} paint
 * @returns {[number, number, number, number] | null}
 */
function channelsOf(paint) {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(paint);
  if (hex) {
    const [r, g, b] = hex.slice(1, 4).map((part) => Number.parseInt(part, 16));
    return [r, g, b, 1];
  }
  const rgb = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(paint);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])] : null;
}

// `colour` (the story's, or a grey as light as the engine's `paint` when null) at the
// opacity the engine gave `paint`: a mark fading in or out keeps fading.
/**
 * @param {string} paint
 * @param {string | null | undefined} colour
 */
function repaint(paint, colour) {
  const engine = channelsOf(paint);
  if (!engine) return paint;
  const grey = Math.round(0.299 * engine[0] + 0.587 * engine[1] + 0.114 * engine[2]);
  const [r, g, b] = colour ? channelsOf(colour) ?? [grey, grey, grey] : [grey, grey, grey];
  return `rgba(${r}, ${g}, ${b}, ${engine[3]})`;
}

// The colour marks go through while their colours change meaning, when the player is
// given none (a story whose categories own no colours): a mid grey.
const NEUTRAL = "#8c8c8c";

/**
 * `from` mixed with `to`, `share` of the way (0: `from`; 1: `to`), as "#rrggbb".
 * @param {string} from
 * @param {string} to
 * @param {number} share
 */
function mix(from, to, share) {
  const [a, b] = [channelsOf(from), channelsOf(to)];
  if (!a || !b) return share < 0.5 ? from : to;
  const part = Math.min(1, Math.max(0, share));
  const hex = (/** @type {number} */ k) => Math.round(a[k] + (b[k] - a[k]) * part).toString(16).padStart(2, "0");
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

// How near (in red, green and blue) a fading mark may come to another category's colour.
const APART = 24;
// Greys a fading mark may go through in place of the neutral, light to dark.
const GREYS = ["#b4b4b4", "#a0a0a0", "#787878", "#646464", "#c8c8c8", "#505050"];

/**
 * How near the straight way from `from` to `to` (in red, green and blue) comes to `colour`.
 * @param {number[]} from
 * @param {number[]} to
 * @param {number[]} colour
 */
function nearest(from, to, colour) {
  const way = [0, 1, 2].map((k) => to[k] - from[k]);
  const length = way.reduce((sum, part) => sum + part * part, 0);
  const along = length ? Math.min(1, Math.max(0, [0, 1, 2].reduce((sum, k) => sum + (colour[k] - from[k]) * way[k], 0) / length)) : 0;
  return Math.hypot(...[0, 1, 2].map((k) => from[k] + along * way[k] - colour[k]));
}

/**
 * The grey a mark fades through from `from` to `to` (either null: that end is the grey):
 * `neutral`, unless the way there or on passes near another category's colour (`palette`),
 * which would read as that category for a moment; then the first of GREYS whose way does not,
 * or, where every way passes near one, the grey whose way keeps farthest from them.
 * @param {string | null} from
 * @param {string | null} to
 * @param {string} neutral
 * @param {string[]} palette
 */
function throughGrey(from, to, neutral, palette) {
  const colours = palette.map(channelsOf).filter((colour) => colour !== null);
  const ends = [from, to].map((end) => (end ? channelsOf(end) : null)).filter((end) => end !== null);
  // How near each way comes to a colour other than its own end's (and those that already
  // read as that end's, APART or nearer to it).
  /** @param {number[]} middle */
  const closest = (middle) =>
    Math.min(
      Infinity,
      ...ends.flatMap((end) => colours.filter((colour) => Math.hypot(...[0, 1, 2].map((k) => colour[k] - end[k])) >= APART).map((colour) => nearest(end, middle, colour))),
    );
  let [best, room] = [neutral, -1];
  for (const grey of [neutral, ...GREYS]) {
    const middle = channelsOf(grey);
    const apart = middle ? closest(middle) : -1;
    if (apart >= APART) return grey;
    if (apart > room) [best, room] = [grey, apart];
  }
  return best;
}

/**
 * Where a move that changes what colours mean stands (`progress`: 0 to 1): in its first
 * half the colours of before fade out (`share` of them still shown), in its second the
 * colours of now fade in.
 * @param {number} progress
 */
function colourStage(progress) {
  const at = Math.min(1, Math.max(0, progress));
  return at < 0.5 ? { now: false, share: 1 - 2 * at } : { now: true, share: 2 * at - 1 };
}

/** @typedef {{ start: number, end: number, now: string[], before: string[] }[]} ColourChanges */
/** Each staged move's colour changes, found once per move (by its legs) rather than per mark and frame. */
const colourChangesOf = /** @type {WeakMap<Legs, { from: string[], changes: ColourChanges }>} */ (new WeakMap());

/**
 * The legs of a staged move that change its colour channel, from `before`: each with its
 * start and end (shares of the move) and the series it colours by before and after.
 * @param {Legs} legs
 * @param {string[]} before
 * @returns {ColourChanges}
 */
function colourChanges(legs, before) {
  const known = colourChangesOf.get(legs);
  if (known && known.from === before) return known.changes;
  /** @type {ColourChanges} */
  const changes = [];
  let [was, start] = [before, 0];
  for (const leg of legs) {
    const colour = leg.color ?? was;
    if (JSON.stringify(colour) !== JSON.stringify(was)) changes.push({ start, end: leg.end, now: colour, before: was });
    [was, start] = [colour, leg.end];
  }
  colourChangesOf.set(legs, { from: before, changes });
  return changes;
}

/**
 * What the colours of a move do at this moment: whether it moves, the colour channel's
 * series before and now, and how far the change from one to the other is (0 to 1). A
 * staged move (`legs`, see legsOf) changes colours in the leg that changes them, over that
 * leg's time: before it the marks keep the colours they had, after it they wear their new
 * ones (a pie's regions go on through a treemap of regions in their own colours, and only
 * then split into products). `shaded`: whether each side of an unstaged move colours its
 * marks by a measure's shades (the lightness channel).
 * @typedef {{ moving: boolean, progress: number, now: string[], before: string[], shaded: { now: boolean, before: boolean } }} ColourMoment
 * @param {Shape} shape
 * @param {Legs | null | undefined} legs
 * @returns {ColourMoment}
 */
function colourMoment(shape, legs) {
  const [now, before] = [shape.now.color ?? [], shape.before.color ?? []];
  const shaded = { now: Boolean(shape.now.lightness?.length), before: Boolean(shape.before.lightness?.length) };
  if (!shape.moving || !legs?.length) return { moving: shape.moving, progress: shape.progress, now, before, shaded };
  const unshaded = { now: false, before: false };
  const changes = colourChanges(legs, before);
  const at = shape.progress;
  const change = changes.find((one) => at < one.end) ?? changes.at(-1);
  if (!change) return { moving: true, progress: at, now, before: now, shaded: unshaded };
  const length = change.end - change.start;
  const progress = length > 0 ? Math.min(1, Math.max(0, (at - change.start) / length)) : at < change.start ? 0 : 1;
  return { moving: true, progress, now: change.now, before: change.before, shaded: unshaded };
}

// While the colour channel changes (a region's bars split into products), the engine blends
// one palette into the other, so a mark would wear another category's colour for a moment.
// In motion, when one dimension's colours give way to another's (sites to varieties), or to
// none, no colour may take a new meaning while the old one is on screen: each mark goes from
// its own category's colour of the dimension coloured before (a part split from a whole
// wears the whole's, which it carries) to `neutral` (the colour of marks coloured by
// nothing) in the move's first half, and from `neutral` to its own colour of the dimension
// coloured now in the second (through another grey where the way to `neutral` passes near a
// third category's colour); a mark of neither stays neutral, and the key changes at the same
// moments (see drawKey). Other moves in colour (to or from a measure's colours) give each
// mark its own category's colour — of the dimension coloured now, else before — and a mark
// of neither a grey. `colouring()` gives whether the chart moves, how far the move is (0 to
// 1), and the colour channel's series now and before.
/**
 * @param {Chart} chart
 * @param {Shown} shown
 * @param {() => ColourMoment} colouring
 * @param {string} neutral
 */
function keepColours(chart, shown, colouring, neutral) {
  // The grey each way from one colour to another goes through (see throughGrey).
  /** @type {Map<string, string>} */
  const greys = new Map();
  listen(chart, "plot-marker-draw", (event) => {
    const { moving, progress, now, before, shaded } = colouring();
    if (!moving || JSON.stringify(now) === JSON.stringify(before)) return;
    const categories = event.target?.categories ?? {};
    const context = event.renderingContext;
    /** @param {string[]} dimensions */
    const own = (dimensions) =>
      dimensions
        .filter((dimension) => dimension in categories)
        .map((dimension) => shown.colour(dimension, categories[dimension]))
        .find(Boolean) ?? null;
    // Colour by one of the story's dimensions, or by nothing (marks in `neutral`).
    const plain = (/** @type {string[]} */ dimensions) => !dimensions.length || dimensions.some((dimension) => shown.colours(dimension));
    let colour = own([...now, ...before]);
    if (plain(now) && plain(before)) {
      const stage = colourStage(progress);
      // A side coloured by a measure's shades alone (a heatmap's units) wears the engine's
      // shade: the engine changes colours in the other half (_motion's _shade_stage), so in
      // this half its colour is that side's own, not blended with the categories' colours.
      const engine = String(context.fillStyle);
      const [from, to] = [own(before) ?? (!before.length && shaded.before ? engine : null), own(now) ?? (!now.length && shaded.now ? engine : null)];
      const ways = `${from} ${to}`;
      if (now.length && before.length && !greys.has(ways)) greys.set(ways, throughGrey(from, to, neutral, shown.palette()));
      // Marks coloured by nothing before or after are drawn in `neutral` then: they fade from or to it.
      const grey = now.length && before.length ? /** @type {string} */ (greys.get(ways)) : neutral;
      colour = mix(grey, (stage.now ? to : from) ?? grey, stage.share);
    }
    context.fillStyle = repaint(String(context.fillStyle), colour);
    context.strokeStyle = repaint(String(context.strokeStyle), colour);
  });
}

// What a chart shows now and showed before its last change: each channel's series (the
// engine names them {name, aggregator}; marks key values as "mean(Units)"), its alignment
// ("stretch": shares of 100%), and whether it moves. Mid-transition the engine still draws
// the leaving state's labels, ticks and legend.
/**
 * Each channel's series by name ("mean(Units)"), as marks key their values.
 * @typedef {Record<string, string[]>} Channels
 */
/**
 * @typedef {{
 *   now: Channels,
 *   before: Channels,
 *   align: string | null,
 *   rested: string | null | undefined,
 *   realigned: boolean,
 *   moving: boolean,
 *   progress: number,
 *   cartesian?: boolean,
 *   restedCartesian?: boolean,
 *   geometry?: string,
 *   restedGeometry?: string,
 *   inPlace?: boolean,
 *   resting: Set<() => void>,
 * }} Shape
 */
/** Each chart's shape, followed once however many parts of the player read it. */
const shapes = /** @type {WeakMap<Chart, Shape>} */ (new WeakMap());

/**
 * @param {Chart} chart
 * @returns {Shape}
 */
function followShape(chart) {
  const known = shapes.get(chart);
  if (known) return known;
  // `before` and `rested` are what the chart showed when it last came to rest.
  /** @type {Shape} */
  // `inPlace`: the move (or the last, at rest) keeps the chart's shape (see movesInPlace);
  // `resting`: what to do each time a move comes to rest.
  const shape = { now: {}, before: {}, align: null, rested: undefined, realigned: false, moving: false, progress: 1, cartesian: true, resting: new Set() };
  /** @param {import("vizzu").Data.SeriesDescriptor} entry */
  const key = (entry) => (entry.aggregator && entry.aggregator !== "sum" ? `${entry.aggregator}(${entry.name})` : entry.name);
  listen(chart, "animation-begin", () => {
    shape.moving = true;
    shape.progress = 0;
    shape.inPlace = false;
  });
  const rest = () => {
    shape.moving = false;
    shape.progress = 1;
    [shape.before, shape.rested, shape.restedCartesian, shape.restedGeometry] = [shape.now, shape.align, shape.cartesian, shape.geometry];
    for (const then of shape.resting) then();
  };
  // How far the move is (0 to 1), as the engine reckons it before drawing each frame. The
  // frame at 1 is the chart at rest, and drawn as such: the engine may draw none after it
  // (a cross-fade draws its last frame before it says it is complete), and what is hidden
  // in motion (ticks of a changing measure, a heatmap's values) would stay hidden.
  listen(chart, "update", (event) => {
    shape.progress = event.detail.progress;
    if (shape.moving && event.detail.progress >= 1) rest();
  });
  listen(chart, "animation-complete", () => {
    if (shape.moving) rest();
  });
  listen(chart, "draw-begin", () => {
    shape.now = Object.fromEntries(
      Object.entries(configOf(chart)?.channels ?? {}).map(([name, channel]) => [name, (channel?.set ?? []).map(key)]),
    );
    shape.align = configOf(chart)?.align ?? null;
    shape.cartesian = (configOf(chart)?.coordSystem ?? "cartesian") === "cartesian";
    shape.geometry = configOf(chart)?.geometry ?? "rectangle";
    // A chart at rest shows what it last came to: its first state too, which no animation completes into.
    if (!shape.moving) [shape.before, shape.rested, shape.restedCartesian, shape.restedGeometry] = [shape.now, shape.align, shape.cartesian, shape.geometry];
    shape.realigned = shape.align !== shape.rested;
    if (shape.moving) shape.inPlace ||= movesInPlace(shape);
  });
  shapes.set(chart, shape);
  return shape;
}

// A series named at its end (`record.ends`, see seriesEnds): its name and
// value just right of its last point, broken between words onto more lines
// where the canvas ends before it does, and moved off a name already there —
// up if its point is higher, down if lower — so the names keep the lines' order.
/**
 * A text placed in a frame, with its corners on the canvas (and, for a series' end, its point's height).
 * @typedef {{ corners: Corners, text: string, point?: number }} Placed
 */
/** The texts placed in the frame being drawn, by group. @typedef {Map<string, Placed[]>} Frame */
/**
 * How a chart's labels are drawn: `before(event)` runs just before a mark's label
 * is drawn; a value label is written in `ink` on a halo of `paper`.
 * A bar with no value where others have one says `noData` (the story's words) in `soft` ink.
 * Marks whose colours change meaning go through `neutral` (see keepColours).
 * @typedef {{ before?: (event: MarkerLabelDraw) => void, ink?: string, paper?: string, soft?: string, noData?: string, onMark?: boolean, neutral?: string }} LabelOptions
 */
/**
 * @param {MarkerLabelDraw} event
 * @param {Marker | undefined} marker
 * @param {string} text
 * @param {Frame} frame
 * @param {LabelOptions} options
 */
function drawEnd(event, marker, text, frame, { before, ink, paper }) {
  event.preventDefault();
  const center = marker?.position?.center;
  if (!center) return;
  before?.(event);
  const context = event.renderingContext;
  const x = center.x + 8;
  const room = (context.canvas.clientWidth || context.canvas.width) - x - 2;
  /** @type {string[]} */
  const lines = [];
  for (const word of text.split(" ")) {
    const longer = lines.length ? `${lines[lines.length - 1]} ${word}` : word;
    if (lines.length && context.measureText(longer).width > room) lines.push(word);
    else if (lines.length) lines[lines.length - 1] = longer;
    else lines.push(word);
  }
  const width = Math.max(...lines.map((line) => context.measureText(line).width));
  const line = event.detail.innerRect.size.y;
  const height = line * lines.length;
  let y = center.y - line / 2;
  const drawn = frame.get("ends") ?? [];
  /** @param {number} top */
  const box = (top) => cornersOf([[1, 0, 0], [0, 1, 0]], x, top, width, height);
  for (let tries = 0; tries < 40; tries += 1) {
    const other = drawn.find((one) => crowds(box(y), one.corners, 1));
    if (!other) break;
    y += other.point !== undefined && center.y < other.point ? -line / 4 : line / 4;
  }
  drawn.push({ corners: box(y), text, point: center.y });
  frame.set("ends", drawn);
  context.save();
  context.textBaseline = "top";
  context.textAlign = "left";
  lines.forEach((words, at) => {
    if (ink && paper) {
      context.strokeStyle = paper;
      context.lineWidth = 3;
      context.lineJoin = "round";
      context.strokeText(words, x, y + at * line);
    }
    context.fillStyle = ink ?? context.fillStyle;
    context.fillText(words, x, y + at * line);
  });
  context.restore();
}

// --- the marks of a frame: part-to-whole ----------------------------------------
// The engine draws every mark of a frame before any label, so a label can read
// the whole its mark is part of: the marks sharing its column of a 100% chart
// (its share), the box it must fit in, the points far from the rest (a scatter
// names its outliers only).
/**
 * A mark drawn in the frame: its categories and values, its box on the canvas
 * (rectangles of a cartesian chart; else null), its centre and whether it shows.
 * @typedef {{ categories: Categories, values: Record<string, unknown>, box: Box | null, center: { x: number, y: number } | null, seen: boolean, alpha: number, colour: string, slice: import("vizzu").Geom.Rect | null, disc: Box | null }} FrameMark
 */
/** @typedef {Map<string, FrameMark>} FrameMarks */

/** @param {Chart} chart */
const cartesianRectangles = (chart) => configOf(chart)?.coordSystem !== "polar" && (configOf(chart)?.geometry ?? "rectangle") === "rectangle";

// Marks in groups (a region's four products side by side) stand apart as a graphics desk
// draws them: each group's marks closer about its middle, a gap between groups as wide as
// a fifth of a group, where the engine spaces every mark alike. Into groups or out of
// them, the gap opens or closes with the move.
const GROUP_SQUEEZE = 0.8;

/**
 * The axis along which a chart's rectangles stand in groups (two or more dimensions on it,
 * a measure across it) and the dimension that makes the groups; null where they do not.
 * @param {Channels} channels
 * @param {boolean | undefined} cartesian
 * @param {string | undefined} geometry
 * @param {Shown} shown
 * @returns {{ axis: "x" | "y", outer: string } | null}
 */
function groupedAlong(channels, cartesian, geometry, shown) {
  if (cartesian === false || (geometry ?? "rectangle") !== "rectangle") return null;
  for (const [axis, across] of /** @type {const} */ ([["x", "y"], ["y", "x"]])) {
    const along = channels[axis] ?? [];
    const measured = (channels[across] ?? []).some((name) => shown.isMeasure(name));
    if (along.length > 1 && measured && !along.some((name) => shown.isMeasure(name))) return { axis, outer: along[0] };
  }
  return null;
}

/**
 * How far a frame draws its groups together (see GROUP_SQUEEZE): 1 as the engine places
 * them; GROUP_SQUEEZE in groups at rest; in between on the way into or out of them.
 * @param {Shape} shape
 * @param {Shown} shown
 * @returns {{ axis: "x" | "y", outer: string, scale: number } | null}
 */
function groupsNow(shape, shown) {
  const now = groupedAlong(shape.now, shape.cartesian, shape.geometry, shown);
  const before = groupedAlong(shape.before, shape.restedCartesian, shape.restedGeometry, shown);
  const kept = now && before && now.axis === before.axis && now.outer === before.outer;
  const [groups, weight] = !shape.moving || kept ? [now, 1] : now ? [now, shape.progress] : [before, 1 - shape.progress];
  return groups ? { ...groups, scale: 1 - (1 - GROUP_SQUEEZE) * weight } : null;
}

/**
 * How far the label a chart is drawing moves with its mark, drawn closer to its group (see
 * followGroups): by the chart's canvas, for the mark it labels.
 */
const labelShifts = /** @type {WeakMap<object, { index: string, by: [number, number] }>} */ (new WeakMap());

/**
 * Where a label's box stands: the engine's transform, moved with its mark (labelShifts).
 * @param {{ detail: { outerRect: import("vizzu").Geom.TransformedRect }, renderingContext: object, target?: unknown }} event
 * @returns {import("vizzu").Geom.AffineTransform}
 */
function transformOf(event) {
  const [[a, c, e], [b, d, f]] = event.detail.outerRect.transform;
  const moved = labelShifts.get(event.renderingContext);
  const index = /** @type {{ parent?: { index?: string } } | undefined} */ (event.target)?.parent?.index;
  const [x, y] = moved && index !== undefined && moved.index === index ? moved.by : [0, 0];
  return [
    [a, c, e + x],
    [b, d, f + y],
  ];
}

/**
 * The square around a disc. The engine gives a disc's size as the same share of each side of
 * the plot, and draws it that share of the longer side across: on a phone's tall plot China's
 * bubble, 62 px across, had a box 25 px wide, and small points' names were written over it.
 * @param {Box | null} box
 * @returns {Box | null}
 */
function squared(box) {
  if (!box) return null;
  const [left, top, right, bottom] = box;
  const half = Math.max(right - left, bottom - top) / 2;
  const [x, y] = [(left + right) / 2, (top + bottom) / 2];
  return [x - half, y - half, x + half, y + half];
}

/**
 * Draws a chart's groups of marks apart (see GROUP_SQUEEZE), each mark's label with it:
 * about each group's middle, as its marks spanned in the frame before (a chart at rest is
 * drawn once more where they moved). Returns a mark's box as drawn.
 * @param {Chart} chart
 * @param {Shown} shown
 * @returns {(box: Box | null, categories: Categories) => Box | null}
 */
function followGroups(chart, shown) {
  const shape = followShape(chart);
  // Each group's span along its axis, and its widest mark: in the frame before, and in
  // this one so far. A group no wider than a mark of it (a country whose region colours
  // it: one bar) is no group, and is drawn as the engine places it.
  /** @type {Map<unknown, [number, number, number]>} */
  let last = new Map();
  /** @type {Map<unknown, [number, number, number]>} */
  let next = new Map();
  let now = /** @type {ReturnType<typeof groupsNow>} */ (null);
  /** @param {unknown} group */
  const middleOf = (group) => {
    const span = last.get(group);
    return span && span[1] - span[0] > span[2] + 0.5 ? (span[0] + span[1]) / 2 : null;
  };
  /** @param {Categories} categories @param {number} at */
  const offset = (categories, at) => {
    const middle = now ? middleOf(categories[now.outer]) : null;
    return now && middle !== null ? (at - middle) * (now.scale - 1) : 0;
  };
  listen(chart, "draw-begin", () => {
    now = groupsNow(shape, shown);
    next = new Map();
  });
  listen(chart, "plot-marker-draw", (event) => {
    const categories = event.target?.categories ?? {};
    const box = now && now.outer in categories ? canvasBox(chart, event.detail.rect, event.detail.relative) : null;
    if (!now || !box) return;
    const [low, high] = now.axis === "x" ? [box[0], box[2]] : [box[1], box[3]];
    const span = next.get(categories[now.outer]) ?? [low, high, 0];
    next.set(categories[now.outer], [Math.min(span[0], low), Math.max(span[1], high), Math.max(span[2], high - low)]);
    const middle = middleOf(categories[now.outer]);
    if (middle === null) return;
    const context = event.renderingContext;
    const [x, y] = now.axis === "x" ? [middle, 0] : [0, middle];
    context.translate(x, y);
    context.scale(now.axis === "x" ? now.scale : 1, now.axis === "y" ? now.scale : 1);
    context.translate(-x, -y);
  });
  listen(chart, "plot-marker-label-draw", (event) => {
    labelShifts.delete(event.renderingContext);
    const marker = event.target?.parent;
    const center = marker?.position?.center;
    if (!now || !marker || !center) return;
    const shift = offset(marker.categories ?? {}, now.axis === "x" ? center.x : center.y);
    // The label is placed (and kept off others) where it is drawn: its box moves with its mark.
    labelShifts.set(event.renderingContext, { index: marker.index, by: now.axis === "x" ? [shift, 0] : [0, shift] });
  });
  listen(chart, "draw-complete", () => {
    const moved = [...next].some(([group, span]) => {
      const known = last.get(group);
      return !known || span.some((value, i) => Math.abs(known[i] - value) > 0.5);
    });
    last = next;
    if (now && moved && !shape.moving) setTimeout(() => redraw(chart), 0);
  });
  return (box, categories) => {
    if (!box || !now) return box;
    const [low, high] = now.axis === "x" ? [0, 2] : [1, 3];
    const [from, to] = [box[low] + offset(categories, box[low]), box[high] + offset(categories, box[high])];
    const moved = /** @type {Box} */ ([...box]);
    [moved[low], moved[high]] = [from, to];
    return moved;
  };
}

// A marimekko (a measure on both axes) draws its columns a few pixels apart and
// its cells a hairline apart, as a graphics desk does: a gap shows where a
// column ends, which widths alone do not.
const MEKKO_GAP = { x: 2, y: 0.75 };

/**
 * @param {Chart} chart
 * @param {Shown} shown
 * @param {ReturnType<typeof followGroups>} grouped a mark's box as its group draws it
 * @returns {(earlier?: boolean) => FrameMarks} the frame's marks so far, or (earlier) the last frame's
 */
function followFrameMarks(chart, shown, grouped) {
  /** @type {FrameMarks} */
  let marks = new Map();
  let last = marks;
  listen(chart, "draw-begin", () => {
    if (marks.size) last = marks;
    marks = new Map();
  });
  listen(chart, "plot-marker-draw", (event) => {
    const marker = event.target;
    if (!marker) return;
    const context = event.renderingContext;
    const box = cartesianRectangles(chart) ? grouped(canvasBox(chart, event.detail.rect, event.detail.relative), marker.categories ?? {}) : null;
    marks.set(marker.index, {
      categories: marker.categories ?? {},
      values: marker.values ?? {},
      box,
      center: marker.position?.center ?? null,
      seen: context.globalAlpha > 0.01,
      alpha: context.globalAlpha,
      colour: String(context.fillStyle),
      // A polar chart's mark (a pie's slice) as the engine gives it: angle along x, radius along y.
      slice: configOf(chart)?.coordSystem === "polar" && event.detail.relative ? event.detail.rect : null,
      // A point's disc on the canvas (a scatter's or bubble plot's), the box around it.
      disc: configOf(chart)?.geometry === "circle" && configOf(chart)?.coordSystem !== "polar" ? squared(canvasBox(chart, event.detail.rect, event.detail.relative)) : null,
    });
    if (box && mekko(chart, shown)) {
      event.preventDefault();
      const [left, top, right, bottom] = box;
      const [w, h] = [right - left - 2 * MEKKO_GAP.x, bottom - top - 2 * MEKKO_GAP.y];
      if (w > 0 && h > 0) context.fillRect(left + MEKKO_GAP.x, top + MEKKO_GAP.y, w, h);
    }
  });
  return (earlier) => (earlier ? last : marks);
}

/**
 * The mark drawn under `point` (in the canvas's pixels) in a frame of boxes (rectangles on
 * axes), null where none is; undefined where the frame's marks have no box (slices, discs,
 * lines), which the engine's own hit test finds.
 * @param {FrameMarks} marks
 * @param {{ x: number, y: number }} point
 * @returns {FrameMark | null | undefined}
 */
function markAt(marks, { x, y }) {
  let boxed = false;
  for (const mark of marks.values()) {
    if (!mark.box) continue;
    boxed = true;
    const [left, top, right, bottom] = mark.box; // (canvasBox gives it left to right, top to bottom)
    if (mark.seen && x >= left && x <= right && y >= top && y <= bottom) return mark;
  }
  return boxed ? null : undefined;
}

/**
 * Whether `box` (canvas pixels) lies over a mark seen in the frame: a bar however thin (points
 * sampled across a note missed one 8 px wide), a point's disc, a line's points (a stock's
 * line, a point every few pixels). Undefined for a frame of slices, which have neither.
 * @param {FrameMarks} marks
 * @param {Box} box
 * @returns {boolean | undefined}
 */
function marksIn(marks, [left, top, right, bottom]) {
  const seen = [...marks.values()].filter((mark) => mark.seen);
  if (!seen.length || seen.some((mark) => mark.slice)) return undefined;
  return seen.some(({ box, disc, center }) => {
    const around = box ?? disc ?? (center ? [center.x - 2, center.y - 2, center.x + 2, center.y + 2] : null);
    return Boolean(around && around[0] < right && around[2] > left && around[1] < bottom && around[3] > top);
  });
}

/**
 * A mark's rectangle in canvas pixels (the engine gives it relative to the plot).
 * @param {Chart} chart
 * @param {import("vizzu").Geom.Rect} rect
 * @param {boolean} relative
 * @returns {Box | null}
 */
function canvasBox(chart, rect, relative) {
  const corners = [rect.pos, { x: rect.pos.x + rect.size.x, y: rect.pos.y + rect.size.y }];
  const system = chart.feature?.coordSystem;
  if (relative && !system) return null;
  const [a, b] = relative ? corners.map((point) => system.toCanvas(point)) : corners;
  return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)];
}

/**
 * Whether the chart is a mekko or marimekko: rectangles with a measure on both axes.
 * @param {Chart} chart
 * @param {Shown} shown
 */
function mekko(chart, shown) {
  const channels = configOf(chart)?.channels ?? {};
  /** @param {"x" | "y"} axis */
  const measured = (axis) => (channels[axis]?.set ?? []).some((entry) => shown.isMeasure(typeof entry === "string" ? entry : entry.name));
  return measured("x") && measured("y");
}

/**
 * The axis whose measure a chart shows as shares: a 100% chart's stretched one (y, unless
 * only x holds a measure), or a pie's angle (x holding a measure, polar, no measure on y).
 * @param {Shown} shown
 * @param {Shape} shape
 * @returns {"x" | "y" | null}
 */
function sharedAxis(shown, shape) {
  return sharesOn(shown, shape.now, shape.align, shape.cartesian ?? true);
}

/**
 * The axis of shares (see sharedAxis) of a chart showing `set`, aligned `align`.
 * @param {Shown} shown
 * @param {Channels} set
 * @param {string | null | undefined} align
 * @param {boolean} cartesian
 * @returns {"x" | "y" | null}
 */
function sharesOn(shown, set, align, cartesian) {
  if (align === "stretch") return measureIn(shown, set, "y") ? "y" : "x";
  return !cartesian && measureIn(shown, set, "x") && !measureIn(shown, set, "y") ? "x" : null;
}

/**
 * The share a mark's `measure` is of its column (its bar, of a 100% bar chart)
 * in the frame: the stretched axis is y, unless only x holds a measure; the
 * marks sharing the other axis's categories make the whole. Null when the
 * chart is not stretched to 100% on `measure`.
 * @param {Labels} labels
 * @param {Marker} marker
 * @param {string} measure
 * @returns {number | null}
 */
function shareOf({ shown, shape, marks }, marker, measure) {
  const along = sharedAxis(shown, shape);
  if (along === null) return null;
  if (measureIn(shown, shape.now, along) !== measure) return null;
  const across = (shape.now[along === "y" ? "x" : "y"] ?? []).filter((entry) => !shown.isMeasure(entry));
  const own = marker.categories ?? {};
  let whole = 0;
  for (const mark of marks().values()) {
    const value = mark.values[measure];
    if (mark.seen && typeof value === "number" && Number.isFinite(value) && across.every((d) => mark.categories[d] === own[d])) whole += value;
  }
  const part = marker.values?.[measure];
  return whole > 0 && typeof part === "number" && Number.isFinite(part) ? part / whole : null;
}

/**
 * Whether a chart names only its outliers: points (circles) on two measures,
 * no size, labelled by categories only — a scatter plot's names.
 * @param {Chart} chart
 * @param {Labels} labels
 */
function namesOutliers(chart, { shown, shape }) {
  if (configOf(chart)?.geometry !== "circle" || configOf(chart)?.coordSystem === "polar") return false;
  const label = shape.now.label ?? [];
  return (
    Boolean(measureIn(shown, shape.now, "x") && measureIn(shown, shape.now, "y")) &&
    !measureIn(shown, shape.now, "size") &&
    label.length > 0 &&
    label.every((entry) => !shown.isMeasure(entry))
  );
}

/**
 * A mark's names: its categories of the label's `dims` ("United States"), and where another
 * outlier a scatter names has the same, its other categories too ("United States, Phones").
 * @param {Labels} labels
 * @param {Marker} known
 * @param {string[]} dims
 */
function namesOf(labels, known, dims) {
  const { shown, chart } = labels;
  const marks = labels.marks();
  const same = (/** @type {string} */ index) => index !== known.index && dims.every((d) => marks.get(index)?.categories[d] === known.categories[d]);
  const twinned = Boolean(chart && dims.length && namesOutliers(chart, labels) && [...outliers(marks)].some(same));
  const names = Object.entries(known.categories).filter(([d]) => dims.includes(d) || (twinned && !dims.includes(d)));
  const order = (/** @type {string} */ d) => (dims.includes(d) ? dims.indexOf(d) : dims.length);
  return names
    .sort(([a], [b]) => order(a) - order(b))
    .map(([d, value]) => shown.label(d, value))
    .join(", ");
}

// The outliers of a scatter: the few marks farthest from the middle of all of
// them (a tenth of the marks, at most five), measured on the canvas.
/**
 * @param {FrameMarks} marks
 * @returns {Set<string>}
 */
function outliers(marks) {
  const shown = [...marks.entries()].filter(([, mark]) => mark.seen && mark.center);
  if (!shown.length) return new Set();
  /** @param {number[]} values */
  const median = (values) => values.sort((p, q) => p - q)[Math.floor(values.length / 2)];
  const mx = median(shown.map(([, mark]) => /** @type {{ x: number }} */ (mark.center).x));
  const my = median(shown.map(([, mark]) => /** @type {{ y: number }} */ (mark.center).y));
  const far = shown
    .map(([index, mark]) => ({ index, distance: Math.hypot(/** @type {{ x: number }} */ (mark.center).x - mx, /** @type {{ y: number }} */ (mark.center).y - my) }))
    .sort((p, q) => q.distance - p.distance);
  return new Set(far.slice(0, Math.min(5, Math.ceil(shown.length / 10))).map(({ index }) => index));
}

/**
 * Where the drawn marks of `categories` (a column, a group of them) lie along `axis`: from
 * their least to their greatest pixel, or null when none is drawn as a box.
 * @param {FrameMarks} marks
 * @param {Categories} categories
 * @param {"x" | "y"} axis
 * @returns {[low: number, high: number] | null}
 */
function spanOf(marks, categories, axis) {
  const along = axis === "x" ? 0 : 1;
  const boxes = [...marks.values()].flatMap(({ box, categories: own }) => (box && Object.entries(categories).every(([key, value]) => own[key] === value) ? [box] : []));
  return boxes.length ? [Math.min(...boxes.map((box) => box[along])), Math.max(...boxes.map((box) => box[along + 2]))] : null;
}

/**
 * Whether a bar stands at rest on a row whose name its axis leaves out (of 142 countries,
 * about every fourth is named): a value written on it is read as the nearest name's. A
 * name is its row's where it stands: a level name centred on its row, a turned name hung
 * from it (its highest point). The names come from the frame before (the engine writes the
 * axis's labels after the marks'). An axis that writes other texts than its rows' names (a
 * run of months read by year) names no row, and hides no value.
 * @param {Labels} labels
 * @param {string} index the mark's
 */
function unnamedRow({ chart, marks, record, shape, shown }, index) {
  const mark = marks().get(index);
  if (shape.moving || !chart || !cartesianRectangles(chart) || !mark?.box) return false;
  for (const axis of /** @type {const} */ (["x", "y"])) {
    // An axis of dimensions only (not a value axis its parts stack along) names its first:
    // a drill-down's countries in their continent, a grouped chart's regions.
    const entries = shape.now[axis] ?? [];
    const dimension = entries[0];
    const written = record.drawnLabels.filter((label) => label.group === `axis-${axis}`);
    if (!dimension || entries.some((entry) => !(entry in mark.categories)) || !written.length) continue;
    const nameOf = (/** @type {Categories} */ own) => shown.label(dimension, own[dimension] ?? null);
    const texts = written.map((label) => label.text.replace(/…$/, ""));
    if (![...marks().values()].some((other) => texts.some((text) => text && nameOf(other.categories).startsWith(text)))) continue;
    // The row: every mark of its category (a group of columns side by side, named once).
    const [low, high] = spanOf(marks(), { [dimension]: mark.categories[dimension] }, axis) ?? [0, 0];
    const at = (/** @type {Corners} */ corners) => {
      if (axis === "y") return (Math.min(...corners.map((p) => p[1])) + Math.max(...corners.map((p) => p[1]))) / 2;
      const top = Math.min(...corners.map((p) => p[1]));
      const highest = corners.filter((p) => p[1] - top < 1);
      return highest.reduce((sum, p) => sum + p[0], 0) / highest.length;
    };
    if (!written.some((label) => at(label.corners) >= low - 1 && at(label.corners) <= high + 1)) return true;
  }
  return false;
}

/**
 * Whether the point of mark `index` lies under a disc drawn after it (a small country's
 * point under China's bubble): a name beside it would name a point no one can see.
 * @param {FrameMarks} marks
 * @param {string} index
 */
function underAnother(marks, index) {
  const centre = marks.get(index)?.center;
  if (!centre) return false;
  let after = false;
  for (const [other, mark] of marks) {
    after ||= other === index;
    if (!after || other === index || !mark.seen || !mark.disc) continue;
    const [left, top, right, bottom] = mark.disc;
    if (Math.hypot(centre.x - (left + right) / 2, centre.y - (top + bottom) / 2) < (right - left) / 2) return true;
  }
  return false;
}

// How much of the smaller of two marks the other may cover before neither can be told apart.
const COVERED = 0.25;
/**
 * Whether the mark `index` of this frame lies over another seen mark, or under one, by more
 * than COVERED of the smaller's area (marks that touch, as stacked ones do, cover nothing).
 * @param {FrameMarks} marks
 * @param {string} index
 */
function coversAnother(marks, index) {
  const mark = marks.get(index);
  if (!mark?.box || !mark.seen) return false;
  const area = (/** @type {Box} */ [l, t, r, b]) => Math.max(0, r - l) * Math.max(0, b - t);
  const [left, top, right, bottom] = mark.box;
  for (const [other, seen] of marks) {
    if (other === index || !seen.seen || !seen.box) continue;
    const [l, t, r, b] = seen.box;
    const shared = area([Math.max(left, l), Math.max(top, t), Math.min(right, r), Math.min(bottom, b)]);
    const smaller = Math.min(area(mark.box), area(seen.box));
    if (smaller > 0 && shared > COVERED * smaller) return true;
  }
  return false;
}

/**
 * A mark's box as room for its label, in the label's own scale (`a` across, `d` down): its
 * width and height, the height of a line of the label, and whether the label's middle lies
 * in it (the engine sets it inside); null for a mark with no box or a turned label.
 * @param {MarkerLabelDraw} event
 * @param {FrameMark | undefined} mark
 */
function labelRoom(event, mark) {
  if (!mark?.box) return null;
  const { innerRect } = event.detail;
  const [[a, c, e], [b, d, f]] = transformOf(event);
  if (b !== 0 || c !== 0) return null;
  const [left, top, right, bottom] = mark.box;
  const middle = { x: a * (innerRect.pos.x + innerRect.size.x / 2) + e, y: d * (innerRect.pos.y + innerRect.size.y / 2) + f };
  const inside = middle.x >= left && middle.x <= right && middle.y >= top && middle.y <= bottom;
  return { width: right - left, height: bottom - top, line: innerRect.size.y * d, a, inside };
}

/**
 * Whether a label the engine would set inside its mark is too big for the mark: a sliver
 * keeps no label.
 * @param {MarkerLabelDraw} event
 * @param {FrameMark | undefined} mark
 * @param {string} text
 */
function overflows(event, mark, text) {
  const room = labelRoom(event, mark);
  if (!room?.inside) return false;
  const width = event.renderingContext.measureText(text).width * room.a;
  return width + 4 > room.width || room.line + 2 > room.height;
}

/**
 * Whether `lines` fit one over another in the mark's box, each as wide as it is.
 * @param {MarkerLabelDraw} event
 * @param {FrameMark | undefined} mark
 * @param {string[]} lines
 */
function stacks(event, mark, lines) {
  const room = labelRoom(event, mark);
  if (!room) return false;
  const widest = Math.max(...lines.map((line) => event.renderingContext.measureText(line).width * room.a));
  return widest + 4 <= room.width && room.line * STACKED_LINE * lines.length + 2 <= room.height;
}

// Lines of a tile's label stand this many type heights apart (apart enough not to crowd).
const STACKED_LINE = 1.2;

/**
 * Draw `lines` one over another, centred where the engine would centre its one line.
 * @param {MarkerLabelDraw} event
 * @param {Labels} labels
 * @param {string[]} lines
 * @param {LabelOptions} options
 */
function drawStacked(event, labels, lines, options) {
  const { outerRect, innerRect } = event.detail;
  const height = innerRect.size.y * STACKED_LINE;
  lines.forEach((line, k) => {
    const pos = { x: innerRect.pos.x, y: innerRect.pos.y + (k - (lines.length - 1) / 2) * height };
    const detail = { ...event.detail, outerRect, innerRect: { pos, size: innerRect.size } };
    const moved = /** @type {MarkerLabelDraw} */ (
      /** @type {unknown} */ ({ target: event.target, renderingContext: event.renderingContext, detail, preventDefault: () => event.preventDefault() })
    );
    drawLabel(moved, labels.frame(), "marker", line, 0.5, options);
  });
}

// --- labels in the story's formats ---------------------------------------------
/**
 * What a chart's label hooks read: the story's formats, the chart's track, what
 * it shows (see followShape), the frame being drawn and how labels are drawn.
 * @typedef {{ chart?: Chart, shown: Shown, record: ChartRecord, shape: Shape, frame: () => Frame, marks: () => FrameMarks, options: LabelOptions }} Labels
 */
/**
 * The series a mark's label is written by, as measures and dimensions, and the
 * mark (`known`) when it holds them all; else the engine's own text is all there is.
 * @typedef {{ marker: Marker | undefined, known: Marker | null, set: string[], measures: string[], dims: string[] }} MarkLabel
 */

/**
 * The texts placed in each frame the chart draws; those of the last complete
 * frame are kept on `record.drawnLabels`.
 * @param {Chart} chart
 * @param {ChartRecord} record
 * @returns {() => Frame} the frame being drawn
 */
function followFrames(chart, record) {
  /** @type {Frame} */
  let frame = new Map();
  listen(chart, "draw-begin", () => {
    frame = new Map();
  });
  record.drawnLabels = [];
  const shape = followShape(chart);
  listen(chart, "draw-complete", () => {
    record.drawnLabels = [...frame.entries()].flatMap(([group, drawn]) =>
      drawn.map(({ corners, text }) => ({ group, corners, box: boxAround(corners), text })),
    );
    // The marks' labels the chart shows at rest, which those it takes away fade out from.
    if (!shape.moving) record.restLabels = new Set((frame.get("marker") ?? []).map(({ text }) => text));
  });
  return () => frame;
}

/**
 * The measure on `channel` in `set` (a chart's channels), or null.
 * @param {Shown} shown
 * @param {Channels} set
 * @param {string | undefined} channel
 */
const measureIn = (shown, set, channel) =>
  channel === undefined ? null : (set[channel] ?? []).find((entry) => shown.isMeasure(entry)) ?? null;

/**
 * The measure on `channel` now, else before the chart's last change.
 * @param {Shown} shown
 * @param {Shape} shape
 * @param {string | undefined} channel
 */
const measureOn = (shown, shape, channel) => measureIn(shown, shape.now, channel) ?? measureIn(shown, shape.before, channel);

/**
 * Numbers on an axis or legend whose measure changes (on an axis, or between shares of
 * 100% and amounts) read in neither state's terms while the chart moves: they fade out.
 * @param {Shown} shown
 * @param {Shape} shape
 * @param {string | undefined} channel
 * @param {boolean} axis
 */
const rescaled = (shown, shape, channel, axis) =>
  shape.moving && (measureIn(shown, shape.now, channel) !== measureIn(shown, shape.before, channel) || (axis && (shape.realigned || swapped(shape))));

/**
 * Whether a series moves between the axes (stacked columns grouped, grouped ones stacked),
 * or marks split along an axis into their parts or merge back (a drill-down, a roll-up):
 * mid-move the parts step sideways as a waterfall on the whole's scale and then land, so a
 * mark's value neither stands on the axis nor tops its bar, and the value axis rescales;
 * numbers on marks and axes show at rest only.
 * @param {Shape} shape
 */
function swapped({ now, before }) {
  /** @param {string} from @param {string} to */
  const leaves = (from, to) =>
    (before[from] ?? []).some((entry) => !(now[from] ?? []).includes(entry) && (now[to] ?? []).includes(entry) && !(before[to] ?? []).includes(entry));
  /** @param {string[]} whole @param {string[]} parts */
  const splits = (whole, parts) => whole.length > 0 && parts.length > whole.length && whole.every((entry) => parts.includes(entry));
  /** @param {string} axis */
  const drilled = (axis) => splits(before[axis] ?? [], now[axis] ?? []) || splits(now[axis] ?? [], before[axis] ?? []);
  return leaves("y", "x") || leaves("x", "y") || drilled("x") || drilled("y");
}

/**
 * `text` where the engine would draw its own, unless it would crowd a text of
 * its group already in the frame or cover a box in `avoid` (other marks); on a
 * halo of `paper` in `ink` when given. An axis label the canvas ends before
 * loses its last words ("United…"; the table and tooltip say it whole), or is left out.
 * @param {LabelDraw} event
 * @param {Frame} frame
 * @param {string} group
 * @param {string} text
 * @param {number} anchor 0 at the engine's box's start, 1 at its end
 * @param {LabelOptions | null} halo
 * @param {{ shift?: number, avoid?: Box[], within?: (corners: Corners) => boolean, transform?: Transform }} [place]
 *   pixels to move the text along its line; boxes it must not cover; where it must lie
 *   (its mark's slice); the frame it is drawn in (the engine's, unless given)
 * @returns {boolean} whether it was drawn
 */
function drawLabel(event, frame, group, text, anchor, halo, { shift = 0, avoid = [], within = () => true, transform = transformOf(event) } = {}) {
  event.preventDefault();
  const context = event.renderingContext;
  const { innerRect } = event.detail;
  const axis = group.startsWith("axis");
  const { canvas } = context; // the engine's, off the page: no client size
  const [clientWidth, clientHeight] = [canvas.clientWidth || canvas.width, canvas.clientHeight || canvas.height];
  const words = text.split(" ");
  let width = 0;
  let x = 0;
  /** @type {Corners} */
  let corners = [];
  const [[a, c, e], [b, d, f]] = transform;
  for (let tries = 0; tries < 2; tries += 1) {
    width = context.measureText(text).width;
    x = innerRect.pos.x + (innerRect.size.x - width) * anchor + shift;
    corners = cornersOf(transform, x, innerRect.pos.y, width, innerRect.size.y);
    const [left, top, right, bottom] = boxAround(corners);
    const inside = left >= 0 && top >= 0 && right <= clientWidth && bottom <= clientHeight;
    // A level title that starts before the canvas starts at its edge instead.
    if (!axis && left < 0 && b === 0 && c === 0) shift -= left / a;
    // A mark's label the canvas would cut is left out (the table and tooltip say it).
    else if (group === "marker" && !inside) return false;
    else if (!axis || inside) break;
    else if (words.length < 2) return false;
    else {
      words.pop();
      text = `${words.join(" ").replace(/[,;:]$/, "")}…`;
      tries = -1;
    }
  }
  const [left, top, right, bottom] = boxAround(corners);
  if (avoid.some(([l, t, r, b]) => left < r && l < right && top < b && t < bottom) || !within(corners)) return false;
  const drawn = frame.get(group) ?? [];
  // Axis labels keep a few pixels apart, so a long axis reads as words, not a fence.
  const gap = axis ? 4 : 1;
  if (drawn.some((other) => crowds(corners, other.corners, gap))) return false;
  drawn.push({ corners, text });
  frame.set(group, drawn);
  context.save();
  context.transform(a, b, c, d, e, f);
  context.textBaseline = "top"; // as the engine draws, pixel for pixel
  if (halo?.ink && halo.paper) {
    context.strokeStyle = halo.paper;
    context.lineWidth = 3;
    context.lineJoin = "round";
    context.strokeText(text, x, innerRect.pos.y);
    context.fillStyle = halo.ink;
  } else if (halo?.ink && halo.onMark) context.fillStyle = halo.ink;
  context.fillText(text, x, innerRect.pos.y);
  context.restore();
  return true;
}

/**
 * The month an axis label stands for, when its one category is a month of a run longer than a year.
 * @param {Shown} shown
 * @param {Categories} categories
 */
function monthOf(shown, categories) {
  const entries = Object.entries(categories);
  if (entries.length !== 1) return null;
  const [[dimension, value]] = entries;
  return shown.monthly(dimension) ? String(value) : null;
}

/**
 * A month's tick in place of its label: a short stroke where the label's middle is, in the label's colour.
 * @param {TickDraw} event
 */
function drawTick(event) {
  event.preventDefault();
  const context = event.renderingContext;
  const { outerRect, innerRect } = event.detail;
  const [[a, c, e], [b, d, f]] = outerRect.transform;
  context.save();
  context.transform(a, b, c, d, e, f);
  context.globalAlpha *= 0.6;
  context.fillRect(innerRect.pos.x + innerRect.size.x / 2 - 0.5, innerRect.pos.y - 7, 1, 5);
  context.restore();
}

/**
 * Categories as the story writes them, one after another.
 * @param {Shown} shown
 * @param {Categories | undefined} categories
 */
const categoryText = (shown, categories) =>
  Object.entries(categories ?? {})
    .map(([name, value]) => shown.label(name, value))
    .join(", ");

/**
 * A number the engine wrote plainly (PLAIN_NUMBERS), in its measure's format; a count,
 * or a number whose measure left the chart, in the story's plain one — never raw.
 * @param {Shown} shown
 * @param {string | null} measure
 * @param {string} text
 * @param {boolean} [axis] an axis tick: its unit word is left to the axis's title
 */
function numberText(shown, measure, text, axis = false) {
  const value = Number.parseFloat(text);
  // Percentages of a stretched chart and anything else not a plain number stay the engine's.
  if (/%/.test(text) || !Number.isFinite(value)) return text;
  return axis ? shown.bare(measure ?? "", value, true) : shown.number(measure ?? "", value, true);
}

/**
 * The label series a mark can be written by: the chart's now, else (mid-transition) those it
 * leaves — the first the mark holds all of — or null.
 * @param {Shown} shown
 * @param {Shape} shape
 * @param {Marker | undefined} marker
 */
function labelledBy(shown, shape, marker) {
  /** @param {string[]} set */
  const holds = (set) =>
    set.length > 0 &&
    set.every((entry) => (shown.isMeasure(entry) ? entry in (marker?.values ?? {}) : entry in (marker?.categories ?? {})));
  return [shape.now.label ?? [], shape.before.label ?? []].find(holds) ?? null;
}

/**
 * What the label of the mark `event` draws for can say (see MarkLabel).
 * @param {Labels} labels
 * @param {MarkerLabelDraw} event
 * @returns {MarkLabel}
 */
function markLabel({ shown, shape }, event) {
  const marker = event.target?.parent;
  const held = labelledBy(shown, shape, marker);
  const set = held ?? shape.now.label ?? [];
  return {
    marker,
    known: held && marker ? marker : null,
    set,
    measures: set.filter((entry) => shown.isMeasure(entry)),
    dims: set.filter((entry) => !shown.isMeasure(entry)),
  };
}

/**
 * Whether the value a mark holds of `measure` is one the data does not have (see followMissing).
 * @param {ChartRecord} record
 * @param {Marker | undefined} marker
 * @param {string} measure
 */
const missingIn = (record, marker, measure) => Boolean(record.missing?.(marker, measure));

/**
 * A mark's label where the step names each series at its end: its dimensions'
 * labels and its values beside the series' last point, and nowhere else.
 * @param {MarkerLabelDraw} event
 * @param {Labels} labels
 * @param {MarkLabel} label
 * @param {Ends} ends
 */
function drawEndLabel(event, { shown, shape, record, frame, options }, { marker, known, measures, dims }, ends) {
  const along = (shape.now.x ?? []).find((entry) => !shown.isMeasure(entry));
  const measure = measures[0] ?? measureOn(shown, shape, "y");
  const end = known && along && measure && !missingIn(record, marker, measure) && ends(known.categories, along, dims, measure);
  if (!known || !end) {
    event.preventDefault();
    return;
  }
  const words = [...dims.map((d) => shown.label(d, known.categories[d])), ...measures.map((m) => shown.number(m, known.values[m]))];
  drawEnd(event, marker, words.join(" "), frame(), options);
}

/**
 * Whether a bar with no value says so: the chart draws bars on axes, the bar is not
 * drawn (it has no value at rest, or on both sides of a move: a bar growing into its
 * first value or shrinking out of its last says nothing), and some other mark of the
 * frame is (a moment with no value at all says it once, above the chart).
 * @param {Labels} labels
 * @param {Marker | undefined} marker
 */
function saysNoData({ chart, shape, marks, options }, marker) {
  if (!options.noData || !chart || !marker || !cartesianRectangles(chart)) return false;
  const drawn = marks();
  if (shape.moving && drawn.get(marker.index)?.seen !== false) return false;
  return [...drawn.values()].some((mark) => mark.seen);
}

/**
 * A mark's label: its values (those the data has) and categories in the story's
 * formats; a value the data does not have is not written (not as 0), and a mark
 * with only such values has no label — unless it is a bar resting beside others
 * with values: it then says it has no data, in soft ink, where its value would be.
 * Beside its mark (after a bar's end) it starts where the engine's box starts, next
 * to the mark; over or inside it, it stays centred.
 * @param {MarkerLabelDraw} event
 * @param {Labels} labels
 */
function drawMarkerLabel(event, labels) {
  const { shown, shape, record, options } = labels;
  // A staged morph's marks travel through states no label was written for: they are labelled
  // at rest. A bar fading into or out of a month nobody reported says no value on its way
  // (nor on the frame at its end, which the engine draws with the values of the month it leaves).
  const engines = event.target?.parent;
  const label = (record.staged && shape.moving) || (engines && record.gapMove?.(engines)) ? null : turnedLabel(event, labels, markLabel(labels, event));
  if (!label) {
    event.preventDefault();
    return;
  }
  const { marker, known, set, measures, dims } = label;
  // A number the engine would write from neither state's series is not written at all.
  if (!known && Number.isFinite(Number.parseFloat(event.detail.text))) {
    event.preventDefault();
    return;
  }
  if (record.ends) {
    drawEndLabel(event, labels, label, record.ends);
    return;
  }
  /** @param {string} m */
  const missing = (m) => missingIn(record, marker, m);
  const absent = Boolean(known && measures.length && measures.every(missing));
  if (known && labels.chart && heatMap(labels.chart, shown, shape)) {
    const values = measures.filter((m) => !missing(m)).map((m) => shown.bare(m, known.values[m]));
    drawHeatValue(event, labels, absent ? options.noData ?? "" : values.join(" "), absent ? options.soft ?? options.ink : undefined);
    return;
  }
  if (absent && saysNoData(labels, marker)) {
    const names = known ? dims.map((d) => shown.label(d, known.categories[d])) : [];
    placeMarkerLabel(event, labels, [...names, options.noData].join(" "), { ...options, ink: options.soft ?? options.ink });
    return;
  }
  if (absent && !dims.length) {
    event.preventDefault();
    return;
  }
  // Parts still on top of one another (a drill's whole dropping to its parts' heights before
  // they slide apart) say no value: which of them a number belongs to cannot be seen.
  if (known && shape.moving && measures.length && marker && coversAnother(labels.marks(), marker.index)) {
    event.preventDefault();
    return;
  }
  // A 100% chart's marks and a pie's read as shares of their column or circle: the whole
  // the engine hands over mid-move is neither state's, so shares show at rest only; so do
  // values of marks moving between stacked and grouped, and of marks whose labels change
  // measure (miles per gallon on bars already sized by weight).
  const sharesBefore = sharesOn(shown, shape.before, shape.rested, shape.restedCartesian ?? true);
  const remeasured = changesMeasure(shown, shape);
  if (known && (sharedAxis(shown, shape) || sharesBefore || shape.realigned || swapped(shape) || remeasured) && shape.moving && measures.length) {
    event.preventDefault();
    return;
  }
  if (known && ((labels.chart && namesOutliers(labels.chart, labels) && !outliers(labels.marks()).has(known.index)) || (dims.length && underAnother(labels.marks(), known.index)) || unnamedRow(labels, known.index))) {
    event.preventDefault();
    return;
  }
  /** @param {string} m */
  const valueText = (m) => {
    const share = known ? shareOf(labels, known, m) : null;
    if (share !== null) return shown.share(share);
    return onAxis(labels, m) ? shown.bare(m, known?.values[m]) : shown.number(m, known?.values[m]);
  };
  // Its categories, then its values: "Americas $136.2M".
  const values = known && set.length ? measures.filter((m) => !missing(m)).map(valueText).filter(Boolean).join(" ") : "";
  const names = known && set.length ? namesOf(labels, known, dims) : "";
  const text = known && set.length ? [names, values].filter(Boolean).join(" ") : event.detail.text;
  if (unseenLeaving(labels, [names, values], text)) {
    event.preventDefault();
    return;
  }
  const mark = marker ? labels.marks().get(marker.index) : undefined;
  if (marker && nested(shown, shape) && overflows(event, mark, text)) {
    drawTileLabel(event, labels, mark, [names, values]);
    return;
  }
  placeMarkerLabel(event, labels, text, options);
}

// Marks that move without changing shape (a timeline's next moment: each bar grows to its
// value there) keep their labels where they stand, and what the labels say takes turns with
// the moment said in the plot (drawMoment): the values the marks leave fade out just before
// half-way, the values they grow to (valuesIn: the engine hands them only once the move is
// over) fade in just after. No label says a value its mark neither stood at nor is going to.
const TURN = 0.15;

/**
 * Which of two texts that change in place is drawn `progress` (0 to 1) into a move: the
 * leaving one over the first half, the coming one over the second, each at full strength
 * but for TURN of the move either side of half-way.
 * @param {number} progress
 */
const turnAt = (progress) => ({ coming: progress >= 0.5, alpha: Math.min(1, Math.abs(progress - 0.5) / TURN) });

/**
 * Whether the chart moves without changing shape: every channel holds the series it held
 * at rest, in the same geometry, coordinates and alignment (a filter's or a moment's move).
 * @param {Shape} shape
 */
function movesInPlace(shape) {
  const channels = new Set([...Object.keys(shape.now), ...Object.keys(shape.before)]);
  const same = [...channels].every((name) => JSON.stringify(shape.now[name] ?? []) === JSON.stringify(shape.before[name] ?? []));
  return shape.moving && same && !shape.realigned && shape.cartesian === shape.restedCartesian && shape.geometry === shape.restedGeometry;
}

/**
 * A mark's label as a move in place draws it (see TURN): its values the ones it leaves, at
 * first, then the ones it grows to, fading either side of half-way; null where it says
 * nothing now (a value the data cannot give, or the turn's instant). Other moves keep it.
 * @param {MarkerLabelDraw} event
 * @param {Labels} labels
 * @param {MarkLabel} label
 * @returns {MarkLabel | null}
 */
function turnedLabel(event, { shape, record }, label) {
  // The engine draws the frame a move ends on with the values it leaves: still the turn's.
  const ending = !shape.moving && shape.inPlace;
  if (!shape.inPlace || !label.known) return label;
  const known = label.known;
  const measures = Object.keys(known.values ?? {});
  const values = measures.map((measure) => record.coming?.(known, measure));
  const said = values.every((value) => value !== undefined);
  const marker = { ...known, values: Object.fromEntries(measures.map((measure, i) => [measure, values[i] ?? Number.NaN])) };
  const coming = { ...label, marker, known: marker };
  // A label whose values do not change (a highlight's, a mark a filter keeps) stays as it is.
  if (said && measures.every((measure) => alike(marker.values[measure], Number(known.values?.[measure] ?? Number.NaN)))) return label;
  if (ending) return said ? coming : label;
  const turn = turnAt(shape.progress);
  if (turn.alpha <= 0 || (turn.coming && !said)) return null;
  event.renderingContext.globalAlpha *= turn.alpha;
  return turn.coming ? coming : label;
}

/**
 * Whether two values read alike: both missing, or equal but for the rounding of a sum added up in another order.
 * @param {number} a
 * @param {number} b
 */
const alike = (a, b) => (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.abs(b);

/**
 * Whether the marks change the measure they are sized by (along an axis), or their labels
 * the measure they write: mid-move no value label would match its mark.
 * @param {Shown} shown
 * @param {Shape} shape
 */
function changesMeasure(shown, { before, now }) {
  const sized = (/** @type {Channels} */ set) => measureIn(shown, set, "y") ?? measureIn(shown, set, "x");
  const [was, is] = [measureIn(shown, before, "label"), measureIn(shown, now, "label")];
  return sized(before) !== sized(now) || Boolean(was && is && was !== is);
}

/**
 * Whether a mark's label `text` is one the chart's move takes away (the step before labelled
 * its marks, this one does not) that was not shown at rest (its crowded neighbours left it
 * out): labels fade out as they stood, and this one is not written on the way out.
 * @param {Labels} labels
 * @param {[names: string, values: string]} lines a tile's label may have stood on two lines
 * @param {string} text
 */
function unseenLeaving({ shape, record }, lines, text) {
  const leaving = shape.moving && (shape.before.label ?? []).length > 0 && (shape.now.label ?? []).length === 0;
  const rested = record.restLabels;
  const seen = (/** @type {string} */ part) => !part || (rested?.has(part) ?? true);
  return leaving && !seen(text) && !lines.every(seen);
}

/**
 * A tile too narrow for its names and value on one line says them on two where they fit
 * ("Africa" over "$26.5M"), else its value alone where that fits (a phone's treemap: the
 * tile wide enough names its group, the key names the colours), else nothing.
 * @param {MarkerLabelDraw} event
 * @param {Labels} labels
 * @param {FrameMark | undefined} mark
 * @param {[names: string, values: string]} lines
 */
function drawTileLabel(event, labels, mark, [names, values]) {
  if (names && values && !labels.shape.moving && stacks(event, mark, [names, values])) drawStacked(event, labels, [names, values], labels.options);
  else if (!names || !values || overflows(event, mark, values)) event.preventDefault();
  else placeMarkerLabel(event, labels, values, labels.options);
}

/**
 * Whether `point` (canvas pixels) lies outside the chart's cartesian plot, by more than a pixel.
 * @param {Chart} chart
 * @param {import("vizzu").Geom.Point | undefined} point
 */
function outsidePlot(chart, point) {
  const flat = configOf(chart)?.coordSystem !== "polar";
  const plot = point && flat ? canvasBox(chart, { pos: { x: 0, y: 0 }, size: { x: 1, y: 1 } }, true) : null;
  if (!point || !plot) return false;
  const [left, top, right, bottom] = plot;
  return point.x < left - 1 || point.x > right + 1 || point.y < top - 1 || point.y > bottom + 1;
}

/**
 * Whether the chart is a heat map: cells along two category axes, shaded by a measure.
 * @param {Chart} chart
 * @param {Shown} shown
 * @param {Shape} shape
 */
function heatMap(chart, shown, shape) {
  const flat = (configOf(chart)?.geometry ?? "rectangle") === "rectangle" && configOf(chart)?.coordSystem !== "polar";
  return flat && (shape.now.lightness ?? []).some(shown.isMeasure) && ["x", "y"].every((axis) => !(shape.now[axis] ?? []).some(shown.isMeasure));
}

// A heat map's cell says its value (the key on top names the unit) at rest, where it fits
// inside its cell, in whichever ink reads better on the cell's shade; in motion, or in a cell
// too small for it, it is left out (the table and tooltip say it).
const CELL_PADDING = 3;
/**
 * @param {MarkerLabelDraw} event
 * @param {Labels} labels
 * @param {string} text
 * @param {string} [ink] its ink when not the one that reads best on its cell (a cell with no value is not drawn)
 */
function drawHeatValue(event, labels, text, ink) {
  const marker = event.target?.parent;
  const mark = marker ? labels.marks().get(marker.index) : undefined;
  const box = mark?.box;
  const width = event.renderingContext.measureText(text).width;
  const height = event.detail.innerRect.size.y;
  const fits = box && width + 2 * CELL_PADDING <= box[2] - box[0] && height + CELL_PADDING <= box[3] - box[1];
  if (labels.shape.moving || !mark || !fits || !text) {
    event.preventDefault();
    return;
  }
  const readable = ink ?? readableOn(mark.colour);
  // A cell of middle lightness reads neither ink at 4.5:1: its value takes a halo of the other.
  const haloed = !ink && contrastOf(readable, mark.colour) < 4.5;
  const paper = haloed ? CELL_INKS.find((other) => other !== readable) : undefined;
  placeMarkerLabel(event, labels, text, { ...labels.options, ink: readable, paper, onMark: true });
}

// The two inks a value on a shaded cell is written in: the light theme's text colour and white.
const CELL_INKS = ["#1d2430", "#ffffff"];
/**
 * Of CELL_INKS, the one with the higher contrast (WCAG's ratio) on `paint`.
 * @param {string} paint
 */
export function readableOn(paint) {
  return contrastOf(CELL_INKS[0], paint) >= contrastOf(CELL_INKS[1], paint) ? CELL_INKS[0] : CELL_INKS[1];
}

/**
 * WCAG's contrast ratio of two colours (1 to 21); a colour the page cannot read counts as white.
 * @param {string} one
 * @param {string} other
 */
function contrastOf(one, other) {
  /** @param {string} paint */
  const luminance = (paint) => {
    const rgb = (channelsOf(paint) ?? [255, 255, 255]).slice(0, 3);
    const [R, G, B] = rgb.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const [a, b] = [luminance(one), luminance(other)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

// The width (pixels) from which a point is a bubble no smaller mark's label may lie over.
const BUBBLE = 16;

/**
 * A mark's `text` where its label goes: beside its mark (after a bar's end) from where the
 * engine's box starts, else centred; on the mark's other side if it would run off the canvas.
 * @param {MarkerLabelDraw} event
 * @param {Labels} labels
 * @param {string} text
 * @param {LabelOptions} options how it is drawn (its ink and halo)
 */
function placeMarkerLabel(event, labels, text, options) {
  const marker = event.target?.parent;
  // A mark outside the plot (a zoom's far-out points) is not seen: nor is its name.
  if (labels.chart && outsidePlot(labels.chart, marker?.position?.center)) {
    event.preventDefault();
    return;
  }
  options.before?.(event);
  // Beside its mark or over it, as the engine placed the two (before a group moves them).
  const { outerRect, innerRect, align } = event.detail;
  const left = outerRect.transform[0][2] + innerRect.pos.x;
  const beside = marker?.position?.center && outerRect.transform[1][0] === 0 && left > marker.position.center.x + 1;
  // A label beside its mark that would run off the canvas goes on the mark's other side.
  const room = (event.renderingContext.canvas.clientWidth || event.renderingContext.canvas.width) - 2;
  const width = event.renderingContext.measureText(text).width;
  const center = marker?.position?.center;
  const shift = beside && center && left + width > room ? center.x - (left - center.x) - width - left : 0;
  // Never over another mark (a bubble one can tell from a dot, as big as the label's own,
  // included): a label with no room beside or inside its own is left out.
  const mark = marker ? labels.marks().get(marker.index) : undefined;
  const own = mark?.disc;
  const big = Math.max(BUBBLE, own ? own[2] - own[0] : 0);
  const others = [...labels.marks()].flatMap(([index, other]) => {
    const box = other.box ?? (other.disc && other.disc[2] - other.disc[0] >= big ? other.disc : null);
    return index !== marker?.index && other.seen && box ? [box] : [];
  });
  // A pie's slice too thin for its label leaves it out (the key and tooltip say its share).
  const slice = mark?.slice;
  const within = labels.chart && slice ? (/** @type {Corners} */ corners) => insideSlice(/** @type {Chart} */ (labels.chart), slice, corners) : undefined;
  const inked = inkInside(event, mark, width, options);
  const below = pastNegativeEnd(event, labels, mark, width);
  const place = below ? { avoid: others, transform: below } : { shift, avoid: others, within };
  const drawn = drawLabel(event, labels.frame(), "marker", text, below ? 0 : beside ? 0 : (align + 1) / 2, inked, place);
  if (!drawn && slice && labels.chart && !labels.shape.moving) {
    // Away from its colour, the label names its slice ("Oceania 0.4%").
    const categories = mark?.categories ?? {};
    const name = Object.entries(categories).map(([dimension, value]) => labels.shown.label(dimension, value)).join(", ");
    const named = name && !text.startsWith(name) ? `${name} ${text}` : text;
    drawLeader(event, labels.chart, labels.frame(), named, slice, options);
  }
}

/**
 * Where the value of a bar below zero goes: the engine writes it at the bar's top, which is
 * the zero line it hangs from, in a row with its neighbours' and away from the bar, so
 * "-802" read as a mark above zero. It goes past the bar's own end: under a column, left
 * of a bar. Null for a mark at or above zero, or not a plain bar or column.
 * @param {MarkerLabelDraw} event
 * @param {Labels} labels
 * @param {FrameMark | undefined} mark
 * @param {number} width the text's width
 * @returns {Transform | null}
 */
function pastNegativeEnd(event, { chart, shape, shown }, mark, width) {
  const [[a, c, e], [b, d, f]] = event.detail.outerRect.transform;
  if (!chart || !mark?.box || !cartesianRectangles(chart) || b !== 0 || c !== 0) return null;
  const measures = (/** @type {string} */ axis) => (shape.now[axis] ?? []).filter((name) => shown.isMeasure(name));
  const axis = measures("y").length === 1 && !measures("x").length ? "y" : measures("x").length === 1 && !measures("y").length ? "x" : null;
  const value = axis ? mark.values[measures(axis)[0]] : null;
  if (typeof value !== "number" || value >= 0) return null;
  const { pos } = event.detail.innerRect;
  const [left, , , bottom] = mark.box;
  const gap = 3;
  // The engine's box (`pos`) lies at the transform's origin plus `pos`, as drawLabel draws it.
  return axis === "y" ? [[a, c, e], [b, d, f + bottom + gap - (f + d * pos.y)]] : [[a, c, e + left - gap - width - (e + a * pos.x)], [b, d, f]];
}

// Under this opacity a mark reads as its colour's pale tint on the page, not as the colour.
const PALE = 0.5;
/**
 * A label written inside its own mark (a treemap's tile, a stacked part) is white, as on
 * every colour the palette holds (each at least 3:1 against a white page), else the ink
 * that reads best on the mark's colour; with a halo of the other ink only where it reads
 * under 4.5:1. The theme's ink on a halo of its paper, on every tile, read as a sticker on
 * each. Labels beside their marks keep the theme's.
 * @param {MarkerLabelDraw} event
 * @param {FrameMark | undefined} mark
 * @param {number} width the text's width
 * @param {LabelOptions} options
 * @returns {LabelOptions}
 */
function inkInside(event, mark, width, options) {
  const [[a, c, e], [b, , f]] = event.detail.outerRect.transform;
  // A pale mark (a highlight's others, dimmed) keeps the theme's ink on a halo for its label.
  if (!mark?.box || !mark.colour || options.onMark || b !== 0 || c !== 0 || mark.alpha < PALE) return options;
  const { pos, size } = event.detail.innerRect;
  const middle = e + a * (pos.x + size.x / 2);
  const [top, bottom] = [f + pos.y, f + pos.y + size.y];
  const [left, up, right, down] = mark.box;
  if (middle - width / 2 < left || middle + width / 2 > right || top < up || bottom > down) return options;
  const ink = contrastOf(CELL_INKS[1], mark.colour) >= 3 ? CELL_INKS[1] : readableOn(mark.colour);
  const paper = contrastOf(ink, mark.colour) < 4.5 ? CELL_INKS.find((other) => other !== ink) : undefined;
  return { ...options, ink, paper, onMark: true };
}

// A slice too thin for its label is labelled outside the pie, at the end of a short line
// from its middle (pixels: the line's run out, its turn level, the room before the text).
const LEADER = { out: 12, level: 10, gap: 3 };
/**
 * Label the polar mark `slice` outside its circle, its text beside a leader line from the
 * middle of the slice's rim, moved along the rim's side while it would crowd another label;
 * left out when it finds no room on the canvas.
 * @param {MarkerLabelDraw} event
 * @param {Chart} chart
 * @param {Frame} frame
 * @param {string} text
 * @param {import("vizzu").Geom.Rect} slice
 * @param {LabelOptions} options
 */
function drawLeader(event, chart, frame, text, slice, options) {
  const system = chart.feature?.coordSystem;
  if (!system) return;
  const middle = slice.pos.x + slice.size.x / 2;
  const rim = system.toCanvas({ x: middle, y: Math.max(slice.pos.y, slice.pos.y + slice.size.y) });
  const centre = system.toCanvas({ x: middle, y: 0 });
  const [dx, dy] = [rim.x - centre.x, rim.y - centre.y];
  const reach = Math.hypot(dx, dy) || 1;
  const turn = { x: rim.x + (dx / reach) * LEADER.out, y: rim.y + (dy / reach) * LEADER.out };
  const right = dx >= 0;
  const context = event.renderingContext;
  const width = context.measureText(text).width;
  const height = event.detail.innerRect.size.y;
  const end = turn.x + (right ? LEADER.level : -LEADER.level);
  const left = right ? end + LEADER.gap : end - LEADER.gap - width;
  const { canvas } = context;
  const [clientWidth, clientHeight] = [canvas.clientWidth || canvas.width, canvas.clientHeight || canvas.height];
  const drawn = frame.get("marker") ?? [];
  /** @param {number} top @returns {Corners} */
  const at = (top) => [[left, top], [left + width, top], [left + width, top + height], [left, top + height]];
  let top = turn.y - height / 2;
  for (let tries = 0; tries < 12 && drawn.some((other) => crowds(at(top), other.corners, 1)); tries += 1) top += (dy >= 0 ? 0.6 : -0.6) * height;
  const corners = at(top);
  if (drawn.some((other) => crowds(corners, other.corners, 1))) return;
  if (left < 0 || top < 0 || left + width > clientWidth || top + height > clientHeight) return;
  drawn.push({ corners, text });
  frame.set("marker", drawn);
  context.save();
  context.strokeStyle = options.soft ?? options.ink ?? String(context.fillStyle);
  context.lineWidth = 1;
  context.beginPath();
  context.moveTo(rim.x, rim.y);
  context.lineTo(turn.x, turn.y);
  context.lineTo(end, top + height / 2);
  context.stroke();
  context.fillStyle = options.ink ?? String(context.fillStyle);
  context.textBaseline = "top";
  context.fillText(text, left, top);
  context.restore();
}

const SLICE_PADDING = 2;
/**
 * Whether a text (its corners) lies inside a polar mark `slice` (relative to the plot: angle
 * along x, radius along y), SLICE_PADDING pixels clear of its edges.
 * @param {Chart} chart
 * @param {import("vizzu").Geom.Rect} slice
 * @param {Corners} corners
 */
function insideSlice(chart, slice, corners) {
  const system = chart.feature?.coordSystem;
  if (!system) return true;
  // The text and its halo, with a little of the slice's colour all round.
  const [left, top, right, bottom] = boxAround(corners);
  const room = SLICE_PADDING;
  /** @type {Corners} */
  const padded = [[left - room, top - room], [right + room, top - room], [left - room, bottom + room], [right + room, bottom + room]];
  return padded.every(([x, y]) => {
    const at = system.toRelative({ x, y });
    const along = (((at.x - slice.pos.x) % 1) + 1) % 1;
    const [low, high] = [Math.min(slice.pos.y, slice.pos.y + slice.size.y), Math.max(slice.pos.y, slice.pos.y + slice.size.y)];
    return along <= Math.abs(slice.size.x) && at.y >= low && at.y <= high;
  });
}

/**
 * Whether the chart's marks stack or nest (a measure shares its axis with a
 * dimension, or no axis holds one: a treemap): only then is a sliver left unlabelled.
 * @param {Shown} shown
 * @param {Shape} shape
 */
function nested(shown, shape) {
  const axes = ["x", "y"].map((axis) => shape.now[axis] ?? []);
  return axes.every((set) => !set.some(shown.isMeasure)) || axes.some((set) => set.some(shown.isMeasure) && !set.every(shown.isMeasure));
}

/**
 * Whether `measure` runs along an axis of the chart now (cartesian), whose title then says its unit.
 * @param {Labels} labels
 * @param {string} measure
 */
const onAxis = ({ shown, shape }, measure) =>
  Boolean(shape.cartesian) && (measureIn(shown, shape.now, "x") === measure || measureIn(shown, shape.now, "y") === measure);

/**
 * The measure an axis's title `text` names: while the axis turns from one measure into
 * another the engine draws both titles, and the leaving one keeps the leaving measure's unit.
 * @param {Shown} shown
 * @param {Shape} shape
 * @param {string} axis
 * @param {string} text
 */
function titledMeasure(shown, shape, axis, text) {
  const now = measureIn(shown, shape.now, axis);
  const before = measureIn(shown, shape.before, axis);
  if (!shape.moving || !before || before === now) return now ?? before;
  /** @param {string | null} measure */
  const named = (measure) => measure !== null && text.toLowerCase().includes((AGGREGATE.exec(measure)?.[2] ?? measure).toLowerCase());
  return named(before) && !named(now) ? before : now;
}

/**
 * An axis's title with the unit its ticks leave out ("Revenue (orders)"), unless it names it already.
 * @param {ChartEvents["plot-axis-title-draw"]} event
 * @param {Labels} labels
 */
function drawAxisTitle(event, { shown, shape, frame }) {
  // An axis whose title changes ("Revenue", then "Share of revenue") shows one at a time.
  if (!inTurn(event)) return;
  const axis = event.target?.parent?.id ?? "x";
  const measure = titledMeasure(shown, shape, axis, event.detail.text ?? "");
  // An axis of shares (a 100% chart's) reads in percent, not in the measure's unit.
  const unit = measure && shape.align !== "stretch" ? shown.unit(measure) : null;
  const text = event.detail.text;
  if (!text) return;
  const named = !unit || text.toLowerCase().includes(unit.toLowerCase()) ? text : `${text} (${unit})`;
  // Drawn here even as the engine words it: a long title the engine starts before the
  // canvas ("an Miles_per_Gallon" at 1920 px) starts at its edge (see drawLabel).
  drawLabel(event, frame(), `title-${axis}`, named, axis === "y" ? 0 : 0.5, null);
}

// A few names under a narrow chart's x axis (a phone's heatmap of four regions) read level,
// a long one on two lines ("Asia" over "Pacific"), where the engine would turn them all 45°.
const MOST_LEVEL_NAMES = 8;
// Pixels kept between two names side by side: a word's space would run "Americas Asia
// Pacific" together; a type size apart they read as two.
const NAME_GAP = 12;

/**
 * `text` in at most two lines no wider than `room`, split at a space where the longer line
 * is shortest; null when it does not fit so.
 * @param {CanvasRenderingContext2D} context
 * @param {string} text
 * @param {number} room
 * @returns {string[] | null}
 */
function inTwoLines(context, text, room) {
  const width = (/** @type {string} */ line) => context.measureText(line).width;
  if (width(text) <= room) return [text];
  const words = text.split(" ");
  const splits = words.slice(1).map((_, i) => [words.slice(0, i + 1).join(" "), words.slice(i + 1).join(" ")]);
  const widest = (/** @type {string[]} */ lines) => Math.max(...lines.map(width));
  const best = splits.sort((p, q) => widest(p) - widest(q))[0];
  return best && widest(best) <= room ? best : null;
}

/**
 * The names of an x axis's columns of marks, each on one line or two, where all of them
 * stand level side by side (no closer than NAME_GAP); null where any would not.
 * @param {CanvasRenderingContext2D} context
 * @param {Shown} shown
 * @param {string} dimension
 * @param {Map<unknown, number>} columns each category's column: its marks' middle
 * @returns {Map<unknown, string[]> | null}
 */
function levelNames(context, shown, dimension, columns) {
  if (columns.size > MOST_LEVEL_NAMES) return null;
  const order = [...columns].sort((p, q) => p[1] - q[1]);
  const room = Math.min(Infinity, ...order.slice(1).map(([, x], i) => x - order[i][1])) - NAME_GAP;
  const named = order.map(([value]) => {
    const text = categoryText(shown, { [dimension]: /** @type {string} */ (value) });
    return inTwoLines(context, text, room) ?? [text];
  });
  const widths = named.map((lines) => Math.max(...lines.map((line) => context.measureText(line).width)));
  const apart = order.slice(1).every(([, x], i) => x - order[i][1] >= (widths[i] + widths[i + 1]) / 2 + NAME_GAP);
  const { canvas } = context; // the engine's, off the page: no client size
  const inside = order[0][1] >= widths[0] / 2 && order[order.length - 1][1] + widths[widths.length - 1] / 2 <= (canvas.clientWidth || canvas.width);
  return apart && inside ? new Map(order.map(([value], i) => [value, named[i]])) : null;
}

/** Each frame's columns of marks by dimension (see columnsAlong), found once a frame. */
const columnsFound = /** @type {WeakMap<FrameMarks, Map<string, Map<unknown, number> | null>>} */ (new WeakMap());

/**
 * The middle of each column of marks a frame shows along `dimension` (the marks one of
 * its categories draws), or null where there are more than MOST_LEVEL_NAMES.
 * @param {FrameMarks} marks
 * @param {string} dimension
 * @returns {Map<unknown, number> | null}
 */
function columnsAlong(marks, dimension) {
  const found = columnsFound.get(marks) ?? new Map();
  columnsFound.set(marks, found);
  if (found.has(dimension)) return found.get(dimension) ?? null;
  /** @type {Map<unknown, { sum: number, count: number }>} */
  const seen = new Map();
  for (const mark of marks.values()) {
    const at = mark.categories[dimension];
    if (at === undefined || !mark.center || !mark.seen) continue;
    const column = seen.get(at) ?? { sum: 0, count: 0 };
    seen.set(at, { sum: column.sum + mark.center.x, count: column.count + 1 });
    if (seen.size > MOST_LEVEL_NAMES) break;
  }
  const columns = seen.size > MOST_LEVEL_NAMES ? null : new Map([...seen].map(([at, { sum, count }]) => [at, sum / count]));
  found.set(dimension, columns);
  return columns;
}

/**
 * A category's name under the x axis drawn level, centred under its marks, on one line or
 * two, where the engine turned the axis's names, or set them level closer than NAME_GAP,
 * and they all stand level side by side (see levelNames). False where that is not so:
 * the engine's name stands.
 * @param {TickDraw} event
 * @param {Labels} labels
 * @param {string} group
 */
function drawLevelName(event, { shown, shape, marks, frame }, group) {
  const { outerRect, innerRect } = event.detail;
  const [[, c], [b, , f]] = outerRect.transform;
  const entries = Object.entries(event.target?.categories ?? {});
  if (entries.length !== 1 || !shape.cartesian) return false;
  const [[dimension, value]] = entries;
  const columns = columnsAlong(marks(), dimension);
  if (!columns) return false;
  const context = event.renderingContext;
  const names = columns.has(value) ? levelNames(context, shown, dimension, columns) : null;
  const lines = names?.get(value);
  // Names the engine draws level stand, unless one needs two lines to keep its neighbours apart.
  const level = b === 0 && c === 0;
  if (!names || !lines || (level && [...names.values()].every((each) => each.length === 1))) return false;
  event.preventDefault();
  const [x, top, height] = [/** @type {number} */ (columns.get(value)), f + innerRect.pos.y, innerRect.size.y];
  const drawn = frame().get(group) ?? [];
  context.save();
  context.textBaseline = "top";
  lines.forEach((line, i) => {
    const width = context.measureText(line).width;
    drawn.push({ corners: cornersOf([[1, 0, 0], [0, 1, 0]], x - width / 2, top + i * height, width, height), text: line });
    context.fillText(line, x - width / 2, top + i * height);
  });
  context.restore();
  frame().set(group, drawn);
  return true;
}

/**
 * Whether a text the engine cross-fades with another in its place (an axis's old title and
 * its new; an axis's ticks as its range changes, "150" fading as "160" comes) is drawn now:
 * the one going fades out over the first half of the fade, the one coming in over the
 * second, so the two are never printed through each other. The event is prevented for the
 * one not drawn. (The engine fades these through their paint's opacity.)
 * @param {TickDraw | ChartEvents["plot-axis-title-draw"]} event
 */
function inTurn(event) {
  const context = event.renderingContext;
  const seen = context.globalAlpha * (channelsOf(String(context.fillStyle))?.[3] ?? 1);
  if (seen >= 1) return true;
  if (seen < 0.5) {
    event.preventDefault();
    return false;
  }
  context.globalAlpha *= ((seen - 0.5) * 2) / seen;
  return true;
}

/**
 * An axis tick's or legend's label: categories as the story writes them, a number in its
 * measure's format; a number whose scale changes fades out while the chart moves; ticks of
 * two ranges take turns (see inTurn).
 * @param {TickDraw} event
 * @param {Labels} labels
 * @param {string | undefined} channel
 * @param {{ axis: boolean, group: string, anchor: number }} place
 */
function drawScaleLabel(event, labels, channel, { axis, group, anchor }) {
  const { shown, shape, frame } = labels;
  const categories = event.target?.categories;
  if (!categories && rescaled(shown, shape, channel, axis)) {
    event.preventDefault();
    return;
  }
  if (!inTurn(event)) return;
  const month = axis && categories ? monthOf(shown, categories) : null;
  if (month) {
    drawTick(event);
    if (month.endsWith("-01-01")) drawLabel(event, frame(), group, month.slice(0, 4), anchor, null);
    return;
  }
  const text = categories ? categoryText(shown, categories) : numberText(shown, measureOn(shown, shape, channel), event.detail.text, axis);
  if (axis && channel === "x" && categories && drawLevelName(event, labels, group)) return;
  const hung = axis && channel === "x" && categories ? hungFromTick(event, labels, categories) : null;
  drawLabel(event, frame(), group, text, hung ? 1 : anchor, null, hung ? { transform: hung } : {});
}

/**
 * Where a name goes that the engine turns along a crowded x axis. The engine starts it at its
 * tick and runs it down to the right, under the next marks, where a reader takes it for
 * theirs (and a shortened name, kept in the middle of the engine's place, still runs off the
 * canvas). Turned the other way, it ends at the middle of its own marks and runs down to the
 * left, and shortening it takes words from its far end. Null when the engine draws it level
 * or none of its marks is drawn.
 * @param {LabelDraw} event
 * @param {Labels} labels
 * @param {Categories} categories
 * @returns {Transform | null}
 */
function hungFromTick(event, labels, categories) {
  const transform = transformOf(event);
  const [[cos], [sin]] = transform;
  if (sin < 0.01) return null;
  const span = spanOf(labels.marks(), categories, "x");
  if (!span) return null;
  const { pos, size } = event.detail.innerRect;
  const top = Math.min(...cornersOf(transform, pos.x, pos.y, size.x, size.y).map(([, y]) => y));
  // The end's middle, in the text's own frame, goes to the tick, as high as the engine's text.
  const [ex, ey] = [pos.x + size.x, pos.y + size.y / 2];
  const [tx, ty] = [(span[0] + span[1]) / 2, top + (size.y / 2) * cos];
  return [
    [cos, sin, tx - (cos * ex + sin * ey)],
    [-sin, cos, ty - (-sin * ex + cos * ey)],
  ];
}

// Every text a chart draws from the data goes through the story's formats
// (numbers on labels, axes and legends; dates at their precision), and a
// label that would overlap one already drawn in the same frame (axis ticks,
// small marks' labels) is left out rather than drawn on top. `before(event)`
// runs just before a marker label is drawn (a dashboard dims it there).
// The texts and boxes drawn in the last complete frame are kept on `record.drawnLabels`
// (`record`: the chart's track, whose `missing` and `ends` the labels follow).
// A value label is written in `ink` on a halo of `paper` (the theme's text and
// background colours), so it keeps their contrast on any mark or backdrop.
/**
 * @param {Chart} chart
 * @param {Shown} shown the story's formats (see display)
 * @param {ChartRecord} record the chart's track: what it drew is kept there
 * @param {LabelOptions} [options]
 */
export function readableLabels(chart, shown, record, options = {}) {
  const shape = followShape(chart);
  const grouped = followGroups(chart, shown);
  const colouring = () => colourMoment(shape, record.legs);
  keepColours(chart, shown, colouring, options.neutral ?? NEUTRAL);
  /** @type {Labels} */
  const labels = { chart, shown, record, shape, frame: followFrames(chart, record), marks: followFrameMarks(chart, shown, grouped), options };
  listen(chart, "plot-marker-label-draw", (event) => drawMarkerLabel(event, labels));
  // A pointer finds a mark where it is drawn: grouped columns stand closer about their
  // group's middle than the engine lays them, and its hit test would find the gap's.
  record.markAt = (point) => markAt(labels.marks(), point);
  record.marksIn = (box) => marksIn(labels.marks(), box);
  listen(chart, "plot-axis-label-draw", (event) => {
    const axis = event.target?.parent?.id ?? "x";
    drawScaleLabel(event, labels, axis, { axis: true, group: `axis-${axis}`, anchor: axis === "y" ? 1 : 0.5 });
  });
  listen(chart, "plot-axis-title-draw", (event) => drawAxisTitle(event, labels));
  followScale(chart, record);
  // The key goes in the top of the plot's box (its room kept by tracks.js), drawn with the plot's area.
  let box = { x: 0, y: 0, width: 0 };
  listen(chart, "plot-background-draw", (event) => {
    const { pos, size } = event.detail.rect;
    box = { x: pos.x, y: pos.y + KEY_TOP, width: size.x - KEY_TOP };
  });
  // The moment goes over the plot's stripes and under its marks: drawn before the first mark.
  /** @type {{ area: Box, transform: DOMMatrix } | null} */
  let moment = null;
  /** @param {CanvasRenderingContext2D} context */
  const momentNow = (context) => {
    if (!moment) return;
    context.save();
    context.setTransform(moment.transform);
    drawMoment(context, labels, moment.area, { ink: options.ink ?? "#888", family: familyOf(chart) });
    context.restore();
    moment = null;
  };
  // (A month nobody reported draws no mark: there, with the axes' labels.)
  for (const type of /** @type {const} */ (["plot-marker-draw", "plot-axis-label-draw"])) listen(chart, type, (event) => momentNow(event.renderingContext));
  listen(chart, "plot-area-draw", (event) => {
    const size = record.keySize ?? KEY.size;
    const area = canvasBox(chart, event.detail.rect, event.detail.relative);
    moment = area && record.moment ? { area, transform: event.renderingContext.getTransform() } : null;
    drawKey(event, labels, box, { size, ink: options.soft ?? options.ink ?? "#888", family: familyOf(chart) });
  });
  // The moment a timeline leaves is said until its move is half-way (drawMoment), and no more once it completes.
  labels.shape.resting.add(() => {
    record.momentLeaving = null;
  });
  // A timeline's moment is said by its mark in the plot (drawMoment), not by the small title.
  listen(chart, "title-draw", (event) => {
    if (record.moment) event.preventDefault();
  });
  listen(chart, "legend-label-draw", (event) => {
    drawScaleLabel(event, labels, event.target?.parent?.channel, { axis: false, group: "legend", anchor: 0 });
  });
}

// A timeline's moment (record.moment: "Aug 2022") stands large and light in the plot's
// lower right corner, under the marks, as the one thing that changes from frame to frame;
// its size is a share of the plot's height, no wider than a share of its width. What the
// moment's subtitle adds (record.momentNote: "No data reported") stands over it, in ink a
// reader reads, at the key's size. A narrow plot (a phone's) gives it more of its width, and
// a moment drawn small is drawn a little darker (as light as a large one, 20 px of it went
// unread), never so dark that it reads as a text under the labels drawn over it.
// A moment a bar reaches into reads as another ("932" of 1932): it takes the largest size,
// down to `least`, at which no bar of the last frame does, nor a bar's value, low in the
// corner or else high.
const MOMENT = { height: 0.2, width: 0.45, narrowWidth: 0.7, narrow: 320, alpha: 0.16, largeAt: 64, darkest: 0.2, pad: 0.12, least: 24 };

/**
 * The size of a moment `ratio` times as wide as high, and where it stands: its right edge,
 * its baseline, and whether high (in the upper right corner).
 * @param {FrameMarks} marks
 * @param {DrawnLabel[]} labels
 * @param {Box} area
 * @param {number} size the size it has room for
 * @param {number} ratio
 * @returns {{ size: number, right: number, bottom: number, high: boolean }}
 */
function momentPlace(marks, labels, area, size, ratio) {
  const boxes = [...marks.values()].flatMap((mark) => (mark.box && mark.seen ? [mark.box] : []));
  boxes.push(...labels.filter((label) => label.group === "marker").map((label) => label.box));
  const at = (/** @type {number} */ wanted, /** @type {boolean} */ high) => ({
    size: wanted,
    right: area[2] - wanted * MOMENT.pad,
    bottom: high ? area[1] + wanted * (1 + MOMENT.pad) : area[3] - wanted * MOMENT.pad,
    high,
  });
  for (let wanted = size; wanted >= MOMENT.least; wanted -= 2) {
    for (const high of [false, true]) {
      const { right, bottom: edge } = at(wanted, high);
      if (boxes.every(([left, top, end, bottom]) => end <= right - wanted * ratio || left >= right || bottom <= edge - wanted || top >= edge)) return at(wanted, high);
    }
  }
  return at(size, false);
}

/**
 * @param {CanvasRenderingContext2D} context
 * @param {{ record: ChartRecord, frame: () => Frame, shape: Shape, marks: (earlier?: boolean) => FrameMarks }} labels
 * @param {Box} area the plot's area on the canvas
 * @param {{ ink: string, family: string }} type
 */
function drawMoment(context, { record, frame, shape, marks }, area, { ink, family }) {
  // From one moment to the next, the leaving one is said over the first half of the move (see TURN).
  const leaving = record.momentLeaving;
  const turn = leaving ? turnAt(shape.moving ? shape.progress : 0) : { coming: true, alpha: 1 };
  const { moment, note } = turn.coming || !leaving ? { moment: record.moment, note: record.momentNote } : leaving;
  if (!moment || turn.alpha <= 0) return;
  const rect = { pos: { x: area[0], y: area[1] }, size: { x: area[2] - area[0], y: area[3] - area[1] } };
  context.save();
  let size = Math.round(rect.size.y * MOMENT.height);
  context.font = `700 ${size}px ${family}`;
  const wide = context.measureText(moment).width;
  const ratio = wide / size;
  const room = rect.size.x * (rect.size.x < MOMENT.narrow ? MOMENT.narrowWidth : MOMENT.width);
  if (wide > room) size = Math.floor((size * room) / wide);
  const placed = momentPlace(marks(true), record.drawnLabels, area, size, ratio);
  const { right, bottom, high } = placed;
  size = placed.size;
  context.font = `700 ${size}px ${family}`;
  const width = context.measureText(moment).width;
  // Whatever the mark or label it is drawn before.
  context.globalAlpha = turn.alpha * Math.min(MOMENT.darkest, MOMENT.alpha * Math.max(1, MOMENT.largeAt / size));
  context.fillStyle = ink;
  context.textBaseline = "bottom";
  context.fillText(moment, right - width, bottom);
  const top = bottom - size;
  /** @type {(left: number, up: number, down: number, text: string) => Placed} */
  const drawn = (left, up, down, text) => ({ corners: [[left, up], [right, up], [right, down], [left, down]], text });
  const said = [drawn(right - width, top, bottom, moment)];
  if (note) {
    context.globalAlpha = turn.alpha;
    const noteSize = (record.keySize ?? KEY.size) + 2;
    context.font = `600 ${noteSize}px ${family}`;
    const noted = context.measureText(note).width;
    // Over the moment, or under it where it stands high.
    const [up, down] = high ? [bottom, bottom + noteSize] : [top - noteSize, top];
    context.fillText(note, right - noted, down);
    said.push(drawn(right - noted, up, down, note));
  }
  context.restore();
  frame().set("moment", said);
}

// --- words bound to the data ---------------------------------------------------
// The JavaScript translation of ipyreport._expressions.evaluate: a text's
// expressions (trees the story computed once, kept in the document) read again
// over `data` under `filter`, as a dashboard's click narrows it. Numbers read in
// the format each expression carries. A browser test holds both to the same text.

/** How an aggregate reads its rows: "sum", "count", "mean", "min" or "max". @typedef {string} Aggregator */
/** The conditions an expression narrows its rows by: per column, a label or the label a rank finds. @typedef {[column: string, wanted: { text: string } | Rank][]} Conditions */
/**
 * The first or last category drawn, or the top or bottom one by a measure.
 * @typedef {{ op: "rank", dimension: string, where: Conditions } & (
 *   { which: "first" } | { which: "last" } | { which: "top" | "bottom", by: { column: string, fn: Aggregator } }
 * )} Rank
 */
/**
 * An expression's tree as the story keeps it (Python's _expressions writes them).
 * @typedef {Rank
 *   | { op: "aggregate", column: string, fn: Aggregator, where: Conditions }
 *   | { op: "change", along: string, column: string, where: Conditions }
 *   | { op: "share", column: string, where: Conditions }
 *   | { op: "caption" | "name" }} Expr
 */
/**
 * How an expression's value reads: a category's label, or a number in a format
 * (scaled, with its sign); a caption's format is empty.
 * @typedef {{ category: string } | { number: NumberFormat, scale: number, signed: boolean, exact?: boolean } | {}} How
 */
/** What an expression reads: the data, its rows, the chart's filter and the author's own filters. @typedef {{ data: Dataset, rows: Row[], filter: Filter | null, raw: RawFilters }} Reading */

/**
 * The rows the data really holds (not the placeholders), as records.
 * @param {Dataset} data
 * @param {number | null} placeholdersFrom
 */
function records(data, placeholdersFrom) {
  const rows = Math.min(placeholdersFrom ?? Infinity, data.series[0]?.values.length ?? 0);
  const columns = data.series.map(labelsOf);
  /** @type {Row[]} */
  const result = new Array(rows);
  for (let i = 0; i < rows; i += 1) {
    /** @type {Row} */
    const record = {};
    data.series.forEach((series, c) => (record[series.name] = columns[c][i]));
    result[i] = record;
  }
  return result;
}

/** A measure's value in a record: a number (NaN where missing). @param {Row} record @param {string} measure */
const numberIn = (record, measure) => /** @type {number | null} */ (record[measure]);

/**
 * @param {(number | null)[]} values
 * @param {Aggregator} fn
 * @returns {number | null}
 */
function aggregate(values, fn) {
  const present = /** @type {number[]} */ (values.filter((value) => value !== null && !Number.isNaN(value)));
  if (fn === "count") return present.length;
  if (!present.length) return null;
  if (fn === "sum") return present.reduce((a, b) => a + b, 0);
  if (fn === "mean") return present.reduce((a, b) => a + b, 0) / present.length;
  return fn === "min" ? Math.min(...present) : Math.max(...present);
}

/**
 * The rows `where` keeps (all of them without one).
 * @param {Reading} reading
 * @param {Filter | null} where
 */
function kept({ data, rows, raw }, where) {
  const keep = where ? compileFilter(where, data, raw) : () => true;
  return rows.filter((record) => keep(record));
}

// `measure` over the rows `where` keeps, aggregated by `fn`.
/**
 * @param {Reading} reading
 * @param {string} measure
 * @param {Aggregator} fn
 * @param {Filter | null} where
 */
function total(reading, measure, fn, where) {
  return aggregate(kept(reading, where).map((r) => numberIn(r, measure)), fn);
}

// One group per category of `dimension` the kept rows hold (in the data's
// category order); `measure` aggregated by `fn` in each.
/**
 * @param {Reading} reading
 * @param {string} dimension
 * @param {string | null} measure
 * @param {Aggregator} fn
 * @param {Filter | null} where
 * @returns {[label: string, value: number | null][]}
 */
function grouped(reading, dimension, measure, fn, where) {
  const order = categoriesOf(reading.data, dimension);
  /** @type {Map<string | number | null, (number | null)[]>} */
  const groups = new Map();
  for (const record of kept(reading, where)) {
    const key = record[dimension];
    let group = groups.get(key);
    if (!group) {
      group = [];
      groups.set(key, group);
    }
    group.push(measure ? numberIn(record, measure) : null);
  }
  return order.flatMap((label) => {
    const group = groups.get(label);
    return group ? [[label, measure ? aggregate(group, fn) : null]] : [];
  });
}

/**
 * The groups that have a value.
 * @param {[label: string, value: number | null][]} groups
 * @returns {[label: string, value: number][]}
 */
const valued = (groups) => groups.flatMap(([label, n]) => (n === null ? [] : [[label, n]]));

/**
 * The rows an expression reads: the chart's filter and its own conditions.
 * @param {Reading} reading
 * @param {Conditions} conditions
 * @returns {Filter | null}
 */
function narrowed(reading, conditions) {
  const { filter } = reading;
  const parts = filter ? [filter] : [];
  for (const [column, wanted] of conditions) {
    const label = "text" in wanted ? wanted.text : rank(wanted, reading);
    parts.push({ in: { column, values: label === null ? [] : [label] } });
  }
  return parts.length ? (parts.length === 1 ? parts[0] : { and: parts }) : null;
}

/**
 * The category a rank finds, or null.
 * @param {Rank} node
 * @param {Reading} reading
 * @returns {string | null}
 */
function rank(node, reading) {
  const spec = narrowed(reading, node.where);
  if (node.which === "first" || node.which === "last") {
    const drawn = grouped(reading, node.dimension, null, "count", spec);
    return drawn.length ? drawn[node.which === "first" ? 0 : drawn.length - 1][0] : null;
  }
  const groups = valued(grouped(reading, node.dimension, node.by.column, node.by.fn, spec));
  if (!groups.length) return null;
  const numbers = groups.map(([, n]) => n);
  const target = node.which === "top" ? Math.max(...numbers) : Math.min(...numbers);
  return groups[numbers.indexOf(target)][0];
}

/**
 * @param {Expr} node
 * @param {Reading} reading
 * @returns {string | number | null}
 */
function evaluateNode(node, reading) {
  if (node.op === "rank") return rank(node, reading);
  if (node.op === "aggregate") {
    const spec = narrowed(reading, node.where);
    const isDimension = reading.data.series.find((s) => s.name === node.column)?.type === "dimension";
    if (node.fn === "count" && isDimension) return grouped(reading, node.column, null, "count", spec).length;
    return total(reading, node.column, node.fn, spec);
  }
  if (node.op === "change") {
    const groups = valued(grouped(reading, node.along, node.column, "sum", narrowed(reading, node.where)));
    if (groups.length < 2 || !groups[0][1]) return null;
    const first = groups[0][1];
    return (groups[groups.length - 1][1] - first) / Math.abs(first);
  }
  if (node.op === "share") {
    const whole = total(reading, node.column, "sum", reading.filter);
    const part = total(reading, node.column, "sum", narrowed(reading, node.where));
    return whole ? (part ?? 0) / whole : null;
  }
  throw new StepError(`text: unknown expression ${JSON.stringify(node.op)}`);
}

// How one computed value reads: its expression's format, as _expressions.shown.
/**
 * @param {string | number | null} value
 * @param {How} how
 * @param {Pick<Shown, "label">} shownAs
 * @param {(text: string) => string} [isolateText]
 */
export function readValue(value, how, shownAs, isolateText = (text) => text) {
  if ("category" in how) return value === null ? "–" : isolateText(shownAs.label(how.category, value));
  if (!("number" in how) || !how.number) return String(value ?? "");
  // A number format is given to a number's expression only.
  const scaled = value === null ? null : /** @type {number} */ (value) * how.scale;
  let text = formatNumber(scaled, how.number, how.exact ? "exact" : false);
  if (how.signed && scaled !== null && scaled > 0 && /[1-9]/.test(text)) text = `+${text}`;
  return text;
}

/**
 * A templated text (its parts from the document) over `data` under `filter`.
 * @param {import("../export/document").BoundText} parts
 * @param {Dataset} data
 * @param {{ filter?: Filter | null, shownAs: Pick<Shown, "label">, raw?: RawFilters, placeholdersFrom?: number | null, isolateText?: (text: string) => string }} options
 */
export function evaluateText(parts, data, { filter = null, shownAs, raw = new Map(), placeholdersFrom = null, isolateText = (text) => text }) {
  /** @type {Reading} */
  const reading = { data, rows: records(data, placeholdersFrom), filter, raw };
  return parts
    .map((part) => {
      if (typeof part === "string") return part;
      // The document keeps an expression's tree and format as Python wrote them.
      const expr = /** @type {Expr} */ (part.expr);
      // A caption and a column's name read the same under any filter.
      if (expr.op === "caption" || expr.op === "name") return part.text;
      return readValue(evaluateNode(expr, reading), /** @type {How} */ (part.format), shownAs, isolateText);
    })
    .join("");
}
