// The presenter's own window, opened by S from an exported file, as
// presentation tools do: notes, timer, the next step and Back/Next. It is
// built here and driven by the story's page (no script of its own, nothing
// fetched); the player fills it in as the audience's window moves.

const PRESENTER_CSS = `
  body { margin: 0; font-family: system-ui, sans-serif; background: #14181f; color: #e8ecf2; }
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
 * @param {{ title?: string, lang?: string }} story
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
