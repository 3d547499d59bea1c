// @ts-check
// Controls: the slide's chrome, rendered from the store as the position
// changes: its title (or a cover's words), the progress, the alt text, the
// presenter's notes and what comes next, Back and Next, the dashboard in view,
// and the error a refused step leaves. The page's data-slide, data-step and
// data-error are written here for CSS and tests; the player never reads them back.

/** @typedef {import("./controllers.js").Controller} Controller */
/** @typedef {import("./controllers.js").Position} Position */
/** @typedef {import("./store.js").State} State */
/** @typedef {import("./document").StoryDocument} StoryDocument */
/** @typedef {StoryDocument["slides"][number]} AnySlide */
/** @typedef {import("./document").Frame} Frame */

// The longest a new slide's headline waits for its chart (ms).
const HEADLINE_WAIT_MS = 600;

/** @param {AnySlide} slide @returns {slide is import("./document").Dashboard} */
export const isBoard = (slide) => "kind" in slide && slide.kind === "dashboard";
/** A theme's title or closing slide: words on the page, no chart. */
/** @param {AnySlide} slide @returns {slide is import("./document").Cover} */
export const isCover = (slide) => "kind" in slide && slide.kind === "cover";

/**
 * The element `selector` names inside `root`; the player's markup has every one.
 * @template {Element} [E=HTMLElement]
 * @param {ParentNode} root
 * @param {string} selector
 * @returns {E}
 */
export function part(root, selector) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`ipyreport: the player's markup has no ${selector}; rebuild the page with this version`);
  return /** @type {E} */ (/** @type {unknown} */ (found));
}

/**
 * What the presenter reads as coming next: the next step's slide, or the end.
 * @param {StoryDocument} story
 * @param {Position[]} positions
 * @param {number} index
 */
export function nextTitle(story, positions, index) {
  const next = positions[index + 1];
  if (!next) return "End of the story";
  const slide = story.slides[next.slide];
  const what = next.slide === positions[index].slide ? " (next step)" : isBoard(slide) ? " (dashboard)" : "";
  return `Next: ${slide.heading}${what}`;
}

/**
 * @param {{
 *   root: HTMLElement,
 *   story: StoryDocument,
 *   positions: Position[],
 *   boards: Map<number, { element: HTMLElement }>,
 *   back: () => unknown,
 *   forward: () => unknown,
 *   onShown?: (where: { index: number, slide: number, step: number }) => void,
 * }} context
 * @returns {Controller}
 */
export function controls({ root, story, positions, boards, back, forward, onShown }) {
  /** @param {string} selector */
  const $ = (selector) => part(root, selector);
  const prev = /** @type {HTMLButtonElement} */ ($(".ipyreport-prev"));
  const next = /** @type {HTMLButtonElement} */ ($(".ipyreport-next"));
  prev.addEventListener("click", back);
  next.addEventListener("click", forward);

  /** @param {number} index */
  function render(index) {
    const { slide: s, step: k } = positions[index];
    const slide = story.slides[s];
    const step = slide.steps[k];
    // The document names every slide (document.heading); an untitled one's heading is for screen readers only.
    $(".ipyreport-title").textContent = slide.heading;
    $(".ipyreport-title").classList.toggle("ipyreport-unseen", !slide.headingShown);
    const dek = $(".ipyreport-dek");
    dek.textContent = isCover(slide) ? "" : slide.dek ?? "";
    dek.hidden = !dek.textContent;
    const source = $(".ipyreport-source");
    source.textContent = isCover(slide) ? "" : slide.source ?? "";
    source.hidden = !source.textContent;
    root.dataset.cover = String(isCover(slide));
    $(".ipyreport-cover-title").textContent = isCover(slide) ? slide.title : "";
    $(".ipyreport-cover-subtitle").textContent = isCover(slide) ? slide.subtitle ?? "" : "";
    $(".ipyreport-progress-text").textContent = `Slide ${s + 1} / ${story.slides.length}`;
    const bar = /** @type {HTMLProgressElement} */ ($(".ipyreport-progress"));
    bar.max = positions.length;
    bar.value = index + 1;
    $(".ipyreport-alt").textContent = step.alt ?? "";
    // The chart's name says what it is and how to explore it; the alt text below it describes it.
    $(".ipyreport-chart").setAttribute(
      "aria-label",
      `${slide.heading}: ${step.alt ?? ""} Press Enter to explore its marks, H to hear them.`,
    );
    prev.disabled = index === 0;
    next.disabled = index === positions.length - 1;
    root.dataset.board = String(boards.has(s));
    for (const [other, { element }] of boards) element.hidden = other !== s;
    const board = boards.get(s);
    if (board && isBoard(slide)) {
      const panels = board.element.querySelectorAll(".ipyreport-panel");
      panels.forEach((panel, c) => panel.setAttribute("aria-label", /** @type {Frame} */ (step).alts[c] ?? ""));
    }
    $(".ipyreport-notes").textContent = slide.notes ?? "";
    $(".ipyreport-next-title").textContent = nextTitle(story, positions, index);
    root.dataset.slide = String(s + 1);
    root.dataset.step = String(k + 1);
    onShown?.({ index, slide: s + 1, step: k + 1 });
  }

  /** @param {string | null} error */
  function showError(error) {
    $(".ipyreport-error").hidden = error === null;
    if (error === null) delete root.dataset.error;
    else {
      $(".ipyreport-error").textContent = error;
      root.dataset.error = error;
    }
  }

  return {
    update(state, previous) {
      if (state.index !== previous.index && state.index >= 0) render(state.index);
      if (state.error !== previous.error) showError(state.error);
    },
    destroy() {
      prev.removeEventListener("click", back);
      next.removeEventListener("click", forward);
    },
  };
}

/**
 * A new slide's headline says what its chart shows once it shows it: the old headline
 * leaves as the move starts, the new one comes in as the chart rests (or after
 * HEADLINE_WAIT_MS, whichever is first), so words and picture never disagree for long.
 * A step on the same slide, or a viewer who asks for reduced motion, keeps it in view.
 * @param {{ root: HTMLElement, positions: Position[] }} context
 * @returns {Controller}
 */
export function headline({ root, positions }) {
  const element = part(root, ".ipyreport-headline");
  const still = window.matchMedia("(prefers-reduced-motion: reduce)");
  let waiting = 0;
  const reveal = () => {
    clearTimeout(waiting);
    delete element.dataset.turning;
  };
  return {
    update(state, previous) {
      const turned = state.index >= 0 && previous.index >= 0 && positions[previous.index].slide !== positions[state.index].slide;
      if (turned && state.moving && !still.matches) {
        element.dataset.turning = "true";
        clearTimeout(waiting);
        waiting = window.setTimeout(reveal, HEADLINE_WAIT_MS);
      }
      if (previous.moving && !state.moving) reveal();
    },
    destroy: reveal,
  };
}
