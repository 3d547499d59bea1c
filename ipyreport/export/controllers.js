// @ts-check
// The player's controllers: each does one job with one lifecycle. Mounting
// one (calling its function) takes what it needs (listeners, timers);
// `update(state, previous)` shows what changed in the store; `destroy` lets
// go of everything it took. player.js wires them to the store.

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./store.js").Panel} Panel */
/** @typedef {{ slide: number, step: number }} Position */
/**
 * @typedef {{
 *   update?: (state: State, previous: State) => void,
 *   destroy?: () => void,
 * }} Controller
 */
/**
 * What the controllers read of a story: its slides' steps and play mode's rests.
 * @typedef {{
 *   slides: { steps: unknown[] }[],
 *   rests: number[],
 *   loop?: boolean,
 * }} Story
 */

/**
 * The link to a position: slide and step, 1-based (#3.1, even where the slide has
 * one step), the same as its block's in the article.
 * @param {Position} position
 */
export const linkTo = ({ slide, step }) => `#${slide + 1}.${step + 1}`;

/**
 * The position a URL hash (#3.2, or #3 for a slide's first step, 1-based) names; 0 for none.
 * @param {Story} story
 * @param {Position[]} positions
 * @param {string} hash
 */
export function positionOf(story, positions, hash) {
  const match = /^#(\d+)(?:\.(\d+))?$/.exec(hash);
  if (!match) return 0;
  const s = Math.max(1, Math.min(Number(match[1]), story.slides.length)) - 1;
  const k = Math.min(match[2] ? Number(match[2]) - 1 : 0, story.slides[s].steps.length - 1);
  const found = positions.findIndex((p) => p.slide === s && p.step === Math.max(0, k));
  return found < 0 ? 0 : found;
}

/**
 * Location: the URL hash follows the slide and step, and a changed hash moves the story.
 * @param {{ story: Story, positions: Position[], go: (target: number) => unknown }} context
 * @returns {Controller}
 */
export function location({ story, positions, go }) {
  const onHash = () => go(positionOf(story, positions, window.location.hash));
  window.addEventListener("hashchange", onHash);
  return {
    update(state, previous) {
      if (state.index === previous.index || state.index < 0) return;
      const link = linkTo(positions[state.index]);
      if (window.location.hash !== link) history.replaceState(null, "", link);
    },
    destroy: () => window.removeEventListener("hashchange", onHash),
  };
}

/**
 * Play: the story moves on by itself, resting on each step as long as the
 * document says (its `rests`, which the video reads too), and loops unless told not to.
 * @param {{
 *   root: HTMLElement,
 *   store: Store,
 *   story: Story,
 *   positions: Position[],
 *   go: (target: number) => Promise<void>,
 *   onPlaying?: (playing: boolean) => void,
 * }} context
 * @returns {Controller}
 */
export function play({ root, store, story, positions, go, onPlaying }) {
  const button = /** @type {HTMLButtonElement} */ (root.querySelector(".ipyreport-play"));
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const toggle = () => store.dispatch({ type: "played", playing: !store.state.playing });
  const rest = () => (story.rests[store.state.index] ?? 0) * 1000;
  const tick = async () => {
    if (!store.state.playing) return;
    const atEnd = store.state.index + 1 >= positions.length;
    if (atEnd && story.loop === false) {
      store.dispatch({ type: "played", playing: false });
      return;
    }
    await go(atEnd ? 0 : store.state.index + 1);
    timer = setTimeout(tick, rest());
  };
  button.addEventListener("click", toggle);
  return {
    update(state, previous) {
      if (state.playing === previous.playing) return;
      clearTimeout(timer);
      if (state.destroyed) return;
      button.textContent = state.playing ? "Pause" : "Play";
      button.setAttribute("aria-pressed", String(state.playing));
      onPlaying?.(state.playing);
      if (state.playing) timer = setTimeout(tick, rest());
    },
    destroy() {
      clearTimeout(timer);
      button.removeEventListener("click", toggle);
    },
  };
}

/** @type {Record<Panel, string>} */
const PANEL_BUTTONS = {
  table: ".ipyreport-table-toggle",
  info: ".ipyreport-info-toggle",
  presenter: ".ipyreport-presenter-toggle",
};

/**
 * Panels: the data table and the info panel open and close from their buttons;
 * the page shows each panel the store has open (the presenter's too).
 * @param {{ root: HTMLElement, store: Store }} context
 * @returns {Controller}
 */
export function panels({ root, store }) {
  /** @param {Panel} panel */
  const toggler = (panel) => () => store.dispatch({ type: "panel", panel, open: !store.state.panels[panel] });
  /** @type {[Element, () => void][]} */
  const listening = [];
  for (const panel of /** @type {Panel[]} */ (["table", "info"])) {
    const button = /** @type {Element} */ (root.querySelector(PANEL_BUTTONS[panel]));
    const onClick = toggler(panel);
    button.addEventListener("click", onClick);
    listening.push([button, onClick]);
  }
  return {
    update(state, previous) {
      for (const panel of /** @type {Panel[]} */ (Object.keys(PANEL_BUTTONS))) {
        if (state.panels[panel] === previous.panels[panel]) continue;
        root.dataset[panel] = String(state.panels[panel]);
        root.querySelector(PANEL_BUTTONS[panel])?.setAttribute("aria-pressed", String(state.panels[panel]));
      }
    },
    destroy() {
      for (const [button, onClick] of listening) button.removeEventListener("click", onClick);
    },
  };
}

/**
 * What the keys ask the player to do.
 * @typedef {{
 *   go: (target: number) => unknown,
 *   forward: () => unknown,
 *   back: () => unknown,
 *   fullscreen: () => unknown,
 *   presenter: () => unknown,
 *   hear: () => unknown,
 *   stopExploring: () => boolean,
 *   filtered: () => boolean,
 *   clearFilter: () => unknown,
 * }} Commands
 */

/**
 * Keys: → ↓ PageDown Space next · ← ↑ PageUp back · Home End · P play/pause ·
 * F fullscreen · T data table · I how it was made · S presenter · H hear the
 * chart · Escape clears a dashboard's filter. In an exported file the story is
 * the page: it takes the keyboard from the moment it opens (a presenter's
 * first press of the clicker), wherever focus is; in a notebook, only while
 * it has the focus. `onKey` also serves the presenter's window.
 * @param {{ root: HTMLElement, page: boolean, store: Store, positions: Position[], commands: Commands }} context
 * @returns {Controller & { onKey: (event: KeyboardEvent) => void }}
 */
export function keys({ root, page, store, positions, commands }) {
  /** @param {Panel} panel */
  const toggle = (panel) => store.dispatch({ type: "panel", panel, open: !store.state.panels[panel] });
  /** @type {Record<string, () => unknown>} */
  const actions = {
    ArrowRight: commands.forward,
    ArrowDown: commands.forward,
    PageDown: commands.forward,
    " ": commands.forward,
    ArrowLeft: commands.back,
    ArrowUp: commands.back,
    PageUp: commands.back,
    Home: () => commands.go(0),
    End: () => commands.go(positions.length - 1),
    p: () => store.dispatch({ type: "played", playing: !store.state.playing }),
    f: commands.fullscreen,
    t: () => toggle("table"),
    i: () => toggle("info"),
    s: commands.presenter,
    h: commands.hear,
    Escape: () => commands.filtered() && commands.clearFilter(),
  };
  /** @param {KeyboardEvent} event */
  function onKey(event) {
    const target = /** @type {Element} */ (event.target);
    if (target.closest?.("button") && (event.key === " " || event.key === "Enter")) return;
    if (target.closest?.("select") && event.key !== "Escape") return; // a dashboard's filter list
    if (event.key === "Escape" && commands.stopExploring()) {
      event.preventDefault();
      return; // it stopped exploring or the sound
    }
    if (event.key === "Escape" && !commands.filtered()) return; // Escape is the page's otherwise
    const action = actions[event.key] ?? actions[event.key.toLowerCase()];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  }
  const target = page ? document : root;
  target.addEventListener("keydown", /** @type {EventListener} */ (onKey));
  return {
    onKey,
    destroy: () => target.removeEventListener("keydown", /** @type {EventListener} */ (onKey)),
  };
}
