// @ts-check
// What a story player needs from the place it is shown in (a notebook, a Panel
// or Streamlit app, an exported page): the subset of anywidget's model the
// player uses. anywidget's model is one as it is; every other host implements
// it once, in a module of its own beside this one.

/** A dashboard's cross-filter: {dimension: category}, {} for none. */
/** @typedef {Record<string, string>} Selection */

/** A clicked mark, as the player reports it (`chart`: 1-based in a dashboard, null on a slide). */
/** @typedef {{ categories: object, values: object, chart: number | null }} Marker */

/** The one message a player sends its host. */
/** @typedef {{ type: "click" } & Marker} ClickMessage */

/**
 * The engine a page loads once for every player on it: the Vizzu module's source, its
 * wasm, and the player's bundle and style (what `engine_state()` in notebook/widget.py sends).
 * @typedef {{
 *   version: string,
 *   vizzu: string,
 *   wasm: DataView<ArrayBuffer>,
 *   player: string,
 *   markup: string,
 *   css: string,
 * }} EngineState
 */

/** Reads one field of the engine state (an anywidget model of the engine is one). */
/** @typedef {{ get<K extends keyof EngineState>(name: K): EngineState[K] }} Engine */

/**
 * A player's state as its host holds it: the document, the height, and the position,
 * which both sides may change (1-based slide and step).
 * @typedef {{
 *   story: string,
 *   height: number,
 *   slide: number,
 *   step: number,
 *   playing: boolean,
 *   selection: Selection,
 * }} HostState
 */

/** The changes a player follows: `change:slide`, `change:step`, ... */
/** @typedef {`change:${keyof HostState}`} HostEvent */

/**
 * The host of one player view: anywidget's `AnyModel` as far as the player uses it.
 * `on` and `off` take the same callback; after `off` it is never called again.
 * @typedef {{
 *   get<K extends keyof HostState>(name: K): HostState[K],
 *   set<K extends keyof HostState>(name: K, value: HostState[K]): void,
 *   save_changes(): void,
 *   on(event: HostEvent, callback: () => void): void,
 *   off(event: HostEvent, callback: () => void): void,
 *   send(message: ClickMessage): void,
 * }} Host
 */

/** Callbacks by event, for hosts that have no event system of their own. */
export class Listeners {
  /** @type {Map<string, Set<() => void>>} */
  #byEvent = new Map();

  /**
   * @param {string} event
   * @param {() => void} callback
   */
  on(event, callback) {
    const callbacks = this.#byEvent.get(event) ?? new Set();
    callbacks.add(callback);
    this.#byEvent.set(event, callbacks);
  }

  /**
   * @param {string} event
   * @param {() => void} callback
   */
  off(event, callback) {
    const callbacks = this.#byEvent.get(event);
    callbacks?.delete(callback);
    if (callbacks?.size === 0) this.#byEvent.delete(event);
  }

  /** @param {string} event */
  emit(event) {
    for (const callback of [...(this.#byEvent.get(event) ?? [])]) callback();
  }
}
