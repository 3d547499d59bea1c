// @ts-check
// Info: how the story was made (its provenance), and every number the words
// on screen quote: the expression, what it reads, and the query over the
// story's data behind it. Direction controls are shown as escapes, never obeyed.
import { isBoard, part } from "./chrome.js";
import { visibleControls } from "./words.js";

/** @typedef {import("./controllers.js").Controller} Controller */
/** @typedef {import("./controllers.js").Position} Position */
/** @typedef {import("./document").StoryDocument} StoryDocument */
/** @typedef {import("./document").BoundTexts} BoundTexts */

/**
 * The bound texts a step shows: its slide's, and its own (a dashboard's: each chart's).
 * @param {StoryDocument["slides"][number]} slide
 * @param {number} k
 * @returns {(BoundTexts | undefined)[]}
 */
function textsOf(slide, k) {
  if (isBoard(slide)) return [slide.text, ...slide.steps[k].charts.map((chart) => chart?.text)];
  if ("kind" in slide) return [];
  return [slide.text, slide.steps[k].text];
}

/**
 * @param {{ root: HTMLElement, story: StoryDocument, positions: Position[] }} context
 * @returns {Controller}
 */
export function info({ root, story, positions }) {
  part(root, ".ipyreport-provenance").textContent = story.provenance
    ? visibleControls(JSON.stringify(story.provenance, null, 2))
    : "Built with the ipyreport Python API (no spec file).";
  const list = part(root, ".ipyreport-trace");

  /** @param {number} index */
  function traceWords(index) {
    const { slide: s, step: k } = positions[index];
    list.replaceChildren();
    for (const text of textsOf(story.slides[s], k)) {
      for (const parts of Object.values(text ?? {})) {
        for (const bound of parts) {
          if (typeof bound === "string" || bound.expr.op === "caption") continue;
          const term = document.createElement("dt");
          term.textContent = `{${visibleControls(bound.source)}} = ${visibleControls(bound.text)}`;
          const detail = document.createElement("dd");
          for (const query of bound.queries) {
            const code = document.createElement("code");
            code.textContent = visibleControls(query.sql);
            detail.append(code, document.createElement("br"));
          }
          list.append(term, detail);
        }
      }
    }
    part(root, ".ipyreport-trace-title").hidden = !list.children.length;
  }

  return {
    update(state, previous) {
      if (state.index !== previous.index && state.index >= 0) traceWords(state.index);
    },
  };
}
