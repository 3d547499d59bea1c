// The JavaScript twins given each conformance fixture's inputs: `node replay.mjs <fixture.json>...`
// prints {fixture name: [one output per case]}, which tests/unit/test_conformance.py compares
// with the outputs Python wrote. The twins are the player's own ES modules, imported as they are.
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const root = new URL("../../ipyreport/", import.meta.url);
const steps = await import(new URL("static/steps.js", root).href);
const words = await import(new URL("export/words.js", root).href);
const tables = await import(new URL("export/tables.js", root).href);
const look = await import(new URL("export/look.js", root).href);
const controllers = await import(new URL("export/controllers.js", root).href);

// Records as the engine hands them to a filter: a dimension's label, a measure's number
// (NaN where missing, once the player has prepared the data).
function records(data) {
  const rows = data.series[0].values.length;
  return Array.from({ length: rows }, (_, row) =>
    Object.fromEntries(
      data.series.map((series) => [
        series.name,
        series.type === "dimension" ? (series.categories ? series.categories[series.values[row]] : series.values[row]) : series.values[row],
      ]),
    ),
  );
}


const replay = {
  bidi: ({ text }) => words.isolate(text),
  captions: (c) => (c.say !== undefined ? words.say(c.say, c.values) : words.topValues(c.table, c.words, steps.display({ plainFormat: c.plainFormat }))),
  filters: ({ data, filter, javascript }) => {
    const prepared = steps.prepareData(data);
    const keep = steps.compileFilter(filter, prepared);
    const ipyvizzu = new Function("record", `return ${javascript};`);
    const all = records(prepared);
    return {
      player: all.filter((record) => keep(record)).map((record) => record.__row),
      javascript: all.filter((record) => Boolean(ipyvizzu(record))).map((record) => record.__row),
    };
  },
  formats: ({ value, format, trim }) => steps.formatNumber(value, format, trim),
  display: ({ document, seen }) => {
    const shown = steps.display(document);
    return seen.map((c) =>
      "name" in c ? shown.name(c.name) : "label" in c ? shown.label(c.label, c.value) : shown.number(c.number, c.value),
    );
  },
  texts: ({ document, parts, filter }) =>
    steps.evaluateText(parts, steps.prepareData(document.datasets.main, document.placeholders?.main), {
      filter,
      shownAs: steps.display(document),
      isolateText: words.isolate,
    }),
  document: (c) => {
    if (c.constants) {
      const { MAX_TABLE_ROWS } = tables;
      const { INK, SOFT_INK, BACKGROUND, PLAIN_MARKS } = look;
      return { MAX_TABLE_ROWS, INK, SOFT_INK, BACKGROUND, PLAIN_MARKS };
    }
    if ("duration" in c) return steps.durationSeconds(c.duration);
    if ("position" in c) return controllers.linkTo(c.position);
    if ("repeats" in c) return words.repeatsHeadline(c.title, c.headline);
    // Headings and rests are read from the document, never worked out again in the player.
    return null;
  },
};

const result = {};
for (const path of process.argv.slice(2)) {
  const { idea, cases } = JSON.parse(readFileSync(path, "utf8"));
  result[basename(path, ".json")] = cases.map((c) => {
    try {
      return replay[idea](c);
    } catch (error) {
      return { error: String(error) };
    }
  });
}
process.stdout.write(JSON.stringify(result));
