// Words from the story and its data, made safe to show.

// Text from the data with right-to-left letters or direction controls is
// isolated (FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, as <bdi> would),
// so it cannot turn the sentence around it; the same rule as _describe.isolate.
const NOT_LEFT_TO_RIGHT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u202a-\u202e\u2066-\u2069]/;
export const isolate = (text) => (NOT_LEFT_TO_RIGHT.test(String(text)) ? `\u2068${text}\u2069` : String(text));
// Direction controls in the info panel are shown as escapes, never obeyed.
export const visibleControls = (text) =>
  text.replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
