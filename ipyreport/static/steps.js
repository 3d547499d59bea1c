// Turns ipyreport's JSON steps into Vizzu animate() calls.
// Shared by the HTML player and the notebook widget; plain ES module, no build.

// Vizzu reads a null measure as 0, which breaks counts, means and minima;
// NaN is what it treats as missing.
export function prepareData(data) {
  return {
    series: data.series.map((series) =>
      series.type === "measure"
        ? { ...series, values: series.values.map((value) => (value === null ? NaN : value)) }
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

// Compile a declarative filter ({in}, {range}, {and}, {or}, {not}) into a
// record predicate. Names are checked first: a filter that throws inside
// Vizzu poisons the chart's animation queue.
export function compileFilter(spec, data) {
  const kinds = describeSeries(data);
  const build = (node) => {
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
export function stepTarget(step, datasets, current) {
  const datasetId = step.data ?? "main";
  const data = datasets[datasetId];
  if (!data) throw new StepError(`step refers to an unknown dataset ${JSON.stringify(datasetId)}`);
  const filter = step.filter ? compileFilter(step.filter, data) : null;
  const target = { config: step.config };
  if (step.style) target.style = step.style;
  target.data = datasetId === current ? { filter } : { ...data, filter };
  return { target, options: step.animation ?? {}, dataset: datasetId };
}
