// @ts-check
// Words from the story and its data, made safe to show.

/** @typedef {import("./document").Table} Table */
/**
 * How the story shows a column's name, a category and a number (steps.js `display`).
 * @typedef {{ name(column: string): string, label(column: string, value: unknown): string, number(column: string, value: unknown): string, said(column: string, value: unknown): string }} Shown
 */

// Text from the data with right-to-left letters or direction controls is
// isolated (FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, as <bdi> would),
// so it cannot turn the sentence around it; the same table as _describe.isolate.
// <twins:bidi> written by `python -m ipyreport._twins` from _bidi.py; do not edit
// Characters of bidi class AL, FSI, LRE, LRI, LRO, PDF, PDI, R, RLE, RLI, RLO (Unicode 14.0.0, _bidi.py).
const NOT_LEFT_TO_RIGHT = /[\u{5be}\u{5c0}\u{5c3}\u{5c6}\u{5d0}-\u{5ea}\u{5ef}-\u{5f4}\u{608}\u{60b}\u{60d}\u{61b}-\u{64a}\u{66d}-\u{66f}\u{671}-\u{6d5}\u{6e5}-\u{6e6}\u{6ee}-\u{6ef}\u{6fa}-\u{70d}\u{70f}-\u{710}\u{712}-\u{72f}\u{74d}-\u{7a5}\u{7b1}\u{7c0}-\u{7ea}\u{7f4}-\u{7f5}\u{7fa}\u{7fe}-\u{815}\u{81a}\u{824}\u{828}\u{830}-\u{83e}\u{840}-\u{858}\u{85e}\u{860}-\u{86a}\u{870}-\u{88e}\u{8a0}-\u{8c9}\u{200f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{fb1d}\u{fb1f}-\u{fb28}\u{fb2a}-\u{fb36}\u{fb38}-\u{fb3c}\u{fb3e}\u{fb40}-\u{fb41}\u{fb43}-\u{fb44}\u{fb46}-\u{fbc2}\u{fbd3}-\u{fd3d}\u{fd50}-\u{fd8f}\u{fd92}-\u{fdc7}\u{fdf0}-\u{fdfc}\u{fe70}-\u{fe74}\u{fe76}-\u{fefc}\u{10800}-\u{10805}\u{10808}\u{1080a}-\u{10835}\u{10837}-\u{10838}\u{1083c}\u{1083f}-\u{10855}\u{10857}-\u{1089e}\u{108a7}-\u{108af}\u{108e0}-\u{108f2}\u{108f4}-\u{108f5}\u{108fb}-\u{1091b}\u{10920}-\u{10939}\u{1093f}\u{10980}-\u{109b7}\u{109bc}-\u{109cf}\u{109d2}-\u{10a00}\u{10a10}-\u{10a13}\u{10a15}-\u{10a17}\u{10a19}-\u{10a35}\u{10a40}-\u{10a48}\u{10a50}-\u{10a58}\u{10a60}-\u{10a9f}\u{10ac0}-\u{10ae4}\u{10aeb}-\u{10af6}\u{10b00}-\u{10b35}\u{10b40}-\u{10b55}\u{10b58}-\u{10b72}\u{10b78}-\u{10b91}\u{10b99}-\u{10b9c}\u{10ba9}-\u{10baf}\u{10c00}-\u{10c48}\u{10c80}-\u{10cb2}\u{10cc0}-\u{10cf2}\u{10cfa}-\u{10d23}\u{10e80}-\u{10ea9}\u{10ead}\u{10eb0}-\u{10eb1}\u{10f00}-\u{10f27}\u{10f30}-\u{10f45}\u{10f51}-\u{10f59}\u{10f70}-\u{10f81}\u{10f86}-\u{10f89}\u{10fb0}-\u{10fcb}\u{10fe0}-\u{10ff6}\u{1e800}-\u{1e8c4}\u{1e8c7}-\u{1e8cf}\u{1e900}-\u{1e943}\u{1e94b}\u{1e950}-\u{1e959}\u{1e95e}-\u{1e95f}\u{1ec71}-\u{1ecb4}\u{1ed01}-\u{1ed3d}\u{1ee00}-\u{1ee03}\u{1ee05}-\u{1ee1f}\u{1ee21}-\u{1ee22}\u{1ee24}\u{1ee27}\u{1ee29}-\u{1ee32}\u{1ee34}-\u{1ee37}\u{1ee39}\u{1ee3b}\u{1ee42}\u{1ee47}\u{1ee49}\u{1ee4b}\u{1ee4d}-\u{1ee4f}\u{1ee51}-\u{1ee52}\u{1ee54}\u{1ee57}\u{1ee59}\u{1ee5b}\u{1ee5d}\u{1ee5f}\u{1ee61}-\u{1ee62}\u{1ee64}\u{1ee67}-\u{1ee6a}\u{1ee6c}-\u{1ee72}\u{1ee74}-\u{1ee77}\u{1ee79}-\u{1ee7c}\u{1ee7e}\u{1ee80}-\u{1ee89}\u{1ee8b}-\u{1ee9b}\u{1eea1}-\u{1eea3}\u{1eea5}-\u{1eea9}\u{1eeab}-\u{1eebb}]/u;
// </twins:bidi>
export const isolate = (/** @type {unknown} */ text) => (NOT_LEFT_TO_RIGHT.test(String(text)) ? `\u2068${text}\u2069` : String(text));
// Direction controls in the info panel are shown as escapes, never obeyed.
export const visibleControls = (/** @type {string} */ text) =>
  text.replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

// A sentence from the words of the story's language (words/<lang>.json, which the
// document carries as `words`): each "{name}" filled in, as Python's str.format does.
export const say = (/** @type {string} */ template, /** @type {Record<string, unknown>} */ values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));

// A chart's numbers in words, as the document's words say them: its three highest
// marks (the labels of a mark joined by spaces), or that no values are shown.
/**
 * @param {Table} table
 * @param {{ readonly [word: string]: unknown }} said the document's words (its `words`)
 * @param {Shown} shown
 */
export function topValues(table, said, shown) {
  const count = table.columns.length - table.measures;
  const top = table.rows
    .filter((row) => row[count] !== null && row[count] !== undefined)
    .sort((a, b) => /** @type {number} */ (b[count]) - /** @type {number} */ (a[count]))
    .slice(0, 3)
    .map((row) => {
      const labels = row.slice(0, count).map((value, i) => isolate(shown.label(table.columns[i], value)));
      return say(/** @type {string} */ (said.entry), { label: labels.join(" "), value: shown.said(table.columns[count], row[count]) });
    });
  if (!top.length) return /** @type {string} */ (said.none);
  return say(/** @type {string} */ (said.highest), { measure: isolate(shown.name(table.columns[count])), values: top.join(/** @type {string} */ (said.and)) });
}

// Whether a chart's title says what the headline above it says (spaces at the ends and
// letter case set aside), so it is said once: document.repeats_headline's twin.
const folded = (/** @type {string} */ text) => text.trim().toUpperCase().toLowerCase();
export const repeatsHeadline = (/** @type {unknown} */ title, /** @type {unknown} */ headline) =>
  typeof title === "string" && typeof headline === "string" && title.trim() !== "" && folded(title) === folded(headline);
