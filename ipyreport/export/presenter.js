// The presenter's own window, opened by S from an exported file, as
// presentation tools do: notes, timer, the next step and Back/Next. It is
// built here and driven by the story's page (no script of its own, nothing
// fetched); the player fills it in as the audience's window moves.
// @ts-check

import { BACKGROUND, INK } from "./look.js";
import { letGo } from "./store.js";

const PRESENTER_CSS = `
  body { margin: 0; font-family: Roboto, sans-serif; background: ${BACKGROUND.dark}; color: ${INK.dark}; } /* the player's type, dark */
  main { display: grid; grid-template-columns: 1fr 1fr; grid-template-rows: auto 1fr auto; gap: 1rem; height: 100vh; box-sizing: border-box; padding: 1rem; }
  header { grid-column: 1 / -1; display: flex; gap: 2rem; align-items: baseline; }
  .timer { font-size: 2.5rem; font-variant-numeric: tabular-nums; }
  .where { font-size: 1.1rem; opacity: 0.8; }
  h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
  h2 { font-size: 1rem; margin: 0 0 0.5rem; opacity: 0.8; }
  .notes { font-size: 1.4rem; line-height: 1.45; white-space: pre-wrap; overflow: auto; }
  canvas { width: 100%; height: auto; background: #fff; border-radius: 4px; }
  nav { grid-column: 1 / -1; display: flex; gap: 1rem; }
  button { font: inherit; font-size: 1.1rem; padding: 0.5rem 1.5rem; border-radius: 4px; border: 1px solid #5a6373; background: #222a36; color: inherit; }
  button:focus-visible { outline: 3px solid #7ea2ff; }
`;

/**
 * Furnish the empty window `win` as the presenter's view of `story`.
 * @param {Window} win
 * @param {{ title?: string | null, lang?: string }} story
 * @param {{ back: () => void, forward: () => void, onKey: (event: KeyboardEvent) => void }} actions
 */
export function furnish(win, story, { back, forward, onKey }) {
  const doc = win.document;
  doc.title = `Presenter: ${story.title ?? "data story"}`;
  doc.documentElement.lang = story.lang ?? "en";
  /** @type {(tag: string, className?: string, text?: string) => any} */
  const make = (tag, className, text) => {
    const element = doc.createElement(tag);
    if (className) element.className = className;
    if (text) element.textContent = text;
    return element;
  };
  const style = make("style");
  style.textContent = PRESENTER_CSS;
  const view = {
    win,
    timer: make("span", "timer", "0:00"),
    where: make("span", "where"),
    title: make("h1", "current"),
    notes: make("p", "notes"),
    next: make("h2", "next"),
    picture: make("canvas", "next-picture"),
    back: make("button", "back", "← Back"),
    forward: make("button", "forward", "Next →"),
    /** @type {HTMLElement | null} where the next step is drawn before its picture is copied here */
    host: null,
  };
  view.timer.setAttribute("aria-label", "Elapsed time");
  view.picture.setAttribute("aria-hidden", "true");
  const header = make("header");
  header.append(view.timer, view.where);
  const now = make("section");
  now.append(view.title, make("h2", "", "Notes"), view.notes);
  const coming = make("section");
  coming.append(view.next, view.picture);
  const nav = make("nav");
  nav.setAttribute("aria-label", "Story controls");
  nav.append(view.back, view.forward);
  const main = make("main");
  main.append(header, now, coming, nav);
  doc.head.replaceChildren(style);
  doc.body.replaceChildren(main);
  view.back.addEventListener("click", back);
  view.forward.addEventListener("click", forward);
  doc.addEventListener("keydown", onKey);
  return view;
}

/**
 * The next step, drawn by a chart of its own in an element (the presenter
 * panel's, or an off-screen one whose picture goes to the presenter window);
 * each element's chart is made on first use.
 * @param {{
 *   store: import("./store.js").Store,
 *   story: import("./document").StoryDocument,
 *   positions: { slide: number, step: number }[],
 *   preview: (element: HTMLElement) => Promise<any>,
 *   show: (on: any, target: number, options: { instant: boolean }) => Promise<unknown>,
 * }} context
 */
function previews({ store, story, positions, preview, show }) {
  /** @typedef {{ on: any, busy: boolean }} Drawing */
  /** @type {Map<HTMLElement, Drawing>} */
  const made = new Map(); // element -> { on: its track, busy }
  /** @param {HTMLElement} element */
  async function draw(element) {
    const target = Math.min(store.state.index + 1, positions.length - 1);
    // A dashboard's charts are too small to preview; the next-step title names it.
    element.dataset.board = String(/** @type {{ kind?: string }} */ (story.slides[positions[target].slide]).kind === "dashboard");
    if (element.dataset.board === "true") return;
    if (!made.has(element)) made.set(element, { on: await preview(element), busy: false });
    const drawing = /** @type {Drawing} */ (made.get(element));
    if (drawing.busy) return;
    drawing.busy = true;
    try {
      await show(drawing.on, target, { instant: true });
    } catch (error) {
      console.error("ipyreport: could not draw the preview", error);
    } finally {
      drawing.busy = false;
    }
  }
  function destroy() {
    letGo(store, [...made.values()].map((drawing) => drawing.on.chart));
    made.clear();
  }
  return { draw, destroy };
}

/**
 * The presenter's own window, opened by S from an exported file: built and
 * driven from the story's page, it follows this window and steers it.
 * @param {{
 *   root: HTMLElement,
 *   store: import("./store.js").Store,
 *   story: import("./document").StoryDocument,
 *   positions: { slide: number, step: number }[],
 *   draw: (element: HTMLElement) => Promise<void>,
 *   actions: { back: () => void, forward: () => void, onKey: (event: KeyboardEvent) => void },
 *   closed: () => void,
 * }} context
 */
function presenterWindow({ root, store, story, positions, draw, actions, closed }) {
  /** @type {ReturnType<typeof furnish> | null} */
  let view = null; // while it is open
  function open() {
    const win = window.open("", "ipyreport-presenter", "popup,width=1000,height=640");
    if (!win) return false;
    const furnished = furnish(win, story, actions);
    win.addEventListener("pagehide", () => {
      if (view?.win === win) close();
    });
    // Drawn here, off-screen, at a fixed size; its picture is copied over.
    furnished.host = document.createElement("div");
    furnished.host.className = "ipyreport-offscreen";
    root.append(furnished.host);
    view = furnished;
    update();
    return true;
  }
  function close() {
    const was = view;
    view = null;
    closed();
    if (was && !was.win.closed) was.win.close();
  }
  async function update() {
    const shown = view;
    if (!shown || shown.win.closed) return;
    const index = store.state.index;
    const { slide: s, step: k } = positions[index];
    const slide = story.slides[s];
    shown.where.textContent = `Slide ${s + 1} of ${story.slides.length}, step ${k + 1} of ${slide.steps.length}`;
    shown.title.textContent = slide.heading;
    shown.notes.textContent = slide.notes ?? "No notes for this slide.";
    shown.next.textContent = /** @type {Element} */ (root.querySelector(".ipyreport-next-title")).textContent;
    shown.back.disabled = index === 0;
    shown.forward.disabled = index === positions.length - 1;
    const host = /** @type {HTMLElement} */ (shown.host);
    await draw(host);
    const drawn = host.querySelector("canvas");
    // A dashboard next is named, not pictured (its charts would be too small).
    shown.picture.hidden = host.dataset.board === "true";
    if (view !== shown || !drawn || shown.picture.hidden) return;
    shown.picture.width = drawn.width;
    shown.picture.height = drawn.height;
    shown.picture.getContext("2d").drawImage(drawn, 0, 0);
  }
  return { open, close, update, isOpen: () => view !== null, timer: (/** @type {string} */ text) => view && !view.win.closed && (view.timer.textContent = text) };
}

/**
 * Presenter: the panel beside the chart (notes, timer, the next step drawn
 * small), or from an exported file the presenter's own window, which follows
 * this window and steers it, both ways. `toggle` is S.
 * @param {{
 *   root: HTMLElement,
 *   store: import("./store.js").Store,
 *   story: import("./document").StoryDocument,
 *   positions: { slide: number, step: number }[],
 *   page: boolean,
 *   preview: (element: HTMLElement) => Promise<any>,
 *   show: (on: any, target: number, options: { instant: boolean }) => Promise<unknown>,
 *   back: () => void,
 *   forward: () => void,
 *   onKey: (event: KeyboardEvent) => void,
 * }} context
 * @returns {import("./controllers.js").Controller & { toggle: () => void }}
 */
export function presenter({ root, store, story, positions, page, preview, show, back, forward, onKey }) {
  const button = /** @type {Element} */ (root.querySelector(".ipyreport-presenter-toggle"));
  const next = previews({ store, story, positions, preview, show });
  const own = presenterWindow({
    root,
    store,
    story,
    positions,
    draw: next.draw,
    actions: { back, forward, onKey },
    closed: () => button.setAttribute("aria-pressed", "false"),
  });
  const panel = /** @type {HTMLElement} */ (root.querySelector(".ipyreport-preview"));
  /** @type {number | null} */
  let startedAt = null;

  // S: in an exported file, the presenter's own window (the panel beside the
  // chart if the browser refuses a window); in a notebook, the panel.
  function toggle() {
    if (own.isOpen()) return own.close();
    if (page && !store.state.panels.presenter) {
      startedAt ??= Date.now();
      if (own.open()) {
        button.setAttribute("aria-pressed", "true");
        return;
      }
    }
    store.dispatch({ type: "panel", panel: "presenter", open: !store.state.panels.presenter });
    if (store.state.panels.presenter) {
      startedAt ??= Date.now();
      next.draw(panel);
    }
  }

  const clock = setInterval(() => {
    if (startedAt === null) return;
    const seconds = Math.floor((Date.now() - startedAt) / 1000);
    const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    /** @type {Element} */ (root.querySelector(".ipyreport-timer")).textContent = text;
    own.timer(text);
  }, 500);
  const onClick = () => toggle();
  button.addEventListener("click", onClick);

  return {
    toggle,
    update(state, previous) {
      if (state.index === previous.index || state.index < 0) return;
      if (state.panels.presenter) next.draw(panel);
      own.update();
    },
    destroy() {
      clearInterval(clock);
      button.removeEventListener("click", onClick);
      own.close();
      next.destroy();
    },
  };
}
