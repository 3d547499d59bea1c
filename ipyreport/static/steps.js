// Turns ipyreport's JSON steps into Vizzu animate() calls.
// Shared by the HTML player and the notebook widget; plain ES module, no build.

// Vizzu reads a null measure as 0, which breaks counts, means and minima;
// NaN is what it treats as missing. Rows from `placeholdersFrom` on were
// added to fill a timeline's gaps: drawn as 0 so each category keeps its
// place (Vizzu drops a mark whose values are all NaN).
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

function describeSeries(data) {
  const kinds = new Map();
  for (const series of data.series) kinds.set(series.name, series.type);
  return kinds;
}

function rawCodes(node, found) {
  if (!node || typeof node !== "object") return found;
  if (typeof node.raw === "string") found.add(node.raw);
  for (const key of ["and", "or"]) if (node[key]) node[key].forEach((part) => rawCodes(part, found));
  if (node.not) rawCodes(node.not, found);
  return found;
}

// An author's own JavaScript filters (imported from ipyvizzu-story) load as
// one module from a blob URL: no eval, so a strict CSP still holds.
export async function loadRawFilters(steps) {
  const codes = [...steps.reduce((found, step) => rawCodes(step.filter, found), new Set())];
  if (!codes.length) return new Map();
  const source = `export default [\n${codes.map((code) => `(${code}),`).join("\n")}\n];\n`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const { default: functions } = await import(url);
  return new Map(codes.map((code, i) => [code, functions[i]]));
}

// Compile a declarative filter ({in}, {range}, {and}, {or}, {not}, {raw})
// into a record predicate. Names are checked first: a filter that throws
// inside Vizzu poisons the chart's animation queue.
export function compileFilter(spec, data, raw = new Map()) {
  const kinds = describeSeries(data);
  const build = (node) => {
    if (typeof node.raw === "string") {
      const own = raw.get(node.raw);
      if (!own) throw new StepError("filter: a JavaScript filter was not loaded (call loadRawFilters first)");
      return own;
    }
    if (node.in) {
      const { column, values } = node.in;
      if (kinds.get(column) !== "dimension") throw new StepError(`filter: ${JSON.stringify(column)} is not a dimension of the data`);
      const allowed = new Set(values);
      return (record) => allowed.has(record[column]);
    }
    if (node.range) {
      const { column, min, max } = node.range;
      if (kinds.get(column) !== "measure") throw new StepError(`filter: ${JSON.stringify(column)} is not a measure of the data`);
      const low = min ?? -Infinity;
      const high = max ?? Infinity;
      return (record) => {
        const value = record[column];
        return value >= low && value <= high;
      };
    }
    if (node.and) {
      const parts = node.and.map(build);
      return (record) => parts.every((part) => part(record));
    }
    if (node.or) {
      const parts = node.or.map(build);
      return (record) => parts.some((part) => part(record));
    }
    if (node.not) {
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

// The animate() target and options for one step. `datasets` maps dataset
// ids to prepared Vizzu data; `current` is the id the chart holds now.
// "filter": null shows every row; no "filter" key keeps the current one.
export function stepTarget(step, datasets, current, raw = new Map()) {
  const datasetId = step.data ?? "main";
  const data = datasets[datasetId];
  if (!data) throw new StepError(`step refers to an unknown dataset ${JSON.stringify(datasetId)}`);
  const target = { config: step.config ?? {} };
  if (step.style) target.style = step.style;
  const update = datasetId === current ? {} : { ...data };
  if ("filter" in step) update.filter = step.filter ? compileFilter(step.filter, data, raw) : null;
  if (Object.keys(update).length) target.data = update;
  return { target, options: step.animation ?? {}, dataset: datasetId };
}
