// @ts-check
// The player's one mutable state. It changes only through the named actions
// below (`store.dispatch({ type: "arrived", index: 3 })`); whatever shows it
// subscribes and renders from the new state and the one before.

/** @typedef {Readonly<Record<string, string>>} Where */
/** @typedef {Readonly<{ from: number, where: Where }>} Selection */
/** @typedef {"table" | "info" | "presenter"} Panel */
/**
 * @typedef {Readonly<{
 *   index: number,
 *   pending: number | null,
 *   moving: boolean,
 *   filtering: number,
 *   playing: boolean,
 *   selections: Readonly<Record<number, Selection | null>>,
 *   panels: Readonly<Record<Panel, boolean>>,
 *   exploring: boolean,
 *   error: string | null,
 *   engines: number,
 *   destroyed: boolean,
 * }>} State
 */
/**
 * @typedef {{ type: "moving" }
 *   | { type: "arrived", index: number }
 *   | { type: "queued", target: number }
 *   | { type: "dequeued" }
 *   | { type: "rested" }
 *   | { type: "refused", message: string }
 *   | { type: "played", playing: boolean }
 *   | { type: "panel", panel: Panel, open: boolean }
 *   | { type: "selected", slide: number, selection: Selection | null }
 *   | { type: "filtering", by: 1 | -1 }
 *   | { type: "exploring", exploring: boolean }
 *   | { type: "engines", by: number }
 *   | { type: "destroyed" }} Action
 */
/** @typedef {(state: State, previous: State) => void} Subscriber */

/** @type {State} */
export const INITIAL = Object.freeze({
  index: -1, // the position on screen (or being drawn); -1 before the first
  pending: null, // where the viewer asked to go while a move runs
  moving: false,
  filtering: 0, // cross-filter animations running
  playing: false,
  selections: Object.freeze({}), // slide index -> its dashboard's cross-filter
  panels: Object.freeze({ table: false, info: false, presenter: false }),
  exploring: false,
  error: null, // why the step on screen could not be drawn
  engines: 0, // chart engines this player made and has not let go of
  destroyed: false,
});

/**
 * The state after `action`.
 * @param {State} state
 * @param {Action} action
 * @returns {State}
 */
export function reduce(state, action) {
  switch (action.type) {
    case "moving":
      return { ...state, moving: true };
    case "arrived":
      return { ...state, index: action.index, error: null };
    case "queued":
      return { ...state, pending: action.target };
    case "dequeued":
      return { ...state, pending: null };
    case "rested":
      return { ...state, moving: false };
    case "refused":
      return { ...state, error: action.message };
    case "played":
      return { ...state, playing: action.playing };
    case "panel":
      return { ...state, panels: { ...state.panels, [action.panel]: action.open } };
    case "selected":
      return { ...state, selections: { ...state.selections, [action.slide]: action.selection } };
    case "filtering":
      return { ...state, filtering: state.filtering + action.by };
    case "exploring":
      return { ...state, exploring: action.exploring };
    case "engines":
      return { ...state, engines: state.engines + action.by };
    case "destroyed":
      return { ...state, destroyed: true, playing: false, pending: null };
  }
}

/**
 * Whether nothing moves: no step being drawn, none asked for, no cross-filter running.
 * @param {State} state
 */
export const resting = (state) => !state.moving && state.pending === null && state.filtering === 0;

export function createStore() {
  let state = INITIAL;
  /** @type {Set<Subscriber>} */
  const subscribers = new Set();
  /** @type {(() => void)[]} */
  let waiting = [];
  /** @type {Action[]} */
  const queued = [];
  let notifying = false;
  return {
    get state() {
      return state;
    },
    /**
     * Change the state by `action` and tell every subscriber. An action a
     * subscriber dispatches (a dashboard counting the cross-filter it starts)
     * runs once every subscriber has seen the one before it.
     * @param {Action} action
     */
    dispatch(action) {
      queued.push(action);
      if (notifying) return;
      notifying = true;
      try {
        for (let next = queued.shift(); next; next = queued.shift()) {
          const previous = state;
          state = Object.freeze(reduce(state, next));
          for (const subscriber of subscribers) subscriber(state, previous);
        }
      } finally {
        notifying = false;
      }
      if (resting(state) || state.destroyed) {
        const done = waiting;
        waiting = [];
        for (const resolve of done) resolve();
      }
    },
    /**
     * Call `subscriber(state, previous)` after every action; returns the unsubscribe.
     * @param {Subscriber} subscriber
     */
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
      };
    },
    /**
     * Resolves once the player rests (at once if it does).
     * @returns {Promise<void>}
     */
    idle() {
      if (resting(state) || state.destroyed) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** @typedef {ReturnType<typeof createStore>} Store */

// Every player on the page, for the chart engines they hold between them
// (a test checks that a view that goes away lets go of its own).
const PLAYERS = Symbol.for("ipyreport.players");

/** @returns {Set<Store>} */
function players() {
  const page = /** @type {{ [PLAYERS]?: Set<Store> }} */ (globalThis);
  return (page[PLAYERS] ??= new Set());
}

/**
 * Count `store`'s engines with the page's until it is destroyed holding none.
 * @param {Store} store
 */
export function register(store) {
  players().add(store);
  const stop = store.subscribe((state) => {
    if (!state.destroyed || state.engines !== 0) return;
    players().delete(store);
    stop();
  });
}

/** The chart engines the players on this page hold, from their own stores. */
export const enginesOnPage = () => [...players()].reduce((sum, store) => sum + store.state.engines, 0);

/**
 * Let go of chart engines `store` counts: detach each, and count them gone.
 * @param {Store} store
 * @param {{ detach(): void }[]} charts
 */
export function letGo(store, charts) {
  for (const chart of charts) {
    try {
      chart.detach();
    } catch {
      // already detached (a refused step replaced it)
    }
  }
  if (charts.length) store.dispatch({ type: "engines", by: -charts.length });
}
