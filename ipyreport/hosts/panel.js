// @ts-check
// The player in a Panel app (ipyreport.panel.StoryPlayer, a JSComponent): Panel's
// model, whose parameters are the player's state, as the player's host.
import { failed, mount } from "./view.js";

/** @typedef {import("./host.js").Host} Host */
/** @typedef {import("./host.js").HostState} HostState */
/** @typedef {import("./host.js").Engine} Engine */
/** @typedef {import("./host.js").EngineState} EngineState */

/**
 * What Panel hands a JSComponent's module: its parameters as properties (the engine's
 * wasm in base64, since parameters are JSON; the height as `player_height`, since
 * Panel's own `height` sizes the component), and its events.
 * @typedef {Omit<HostState, "height"> & {
 *   player_height: number,
 *   engine: Omit<EngineState, "wasm"> & { wasm: string },
 *   on(event: string, callback: () => void): void,
 *   off(event: string, callback: () => void): void,
 *   send_msg(message: object): void,
 * }} PanelModel
 */

/**
 * The engine's state as the player reads it: the wasm as bytes.
 * @param {PanelModel["engine"]} engine
 * @returns {Engine}
 */
export function panelEngine(engine) {
  return {
    get: (name) => {
      if (name !== "wasm") return /** @type {any} */ (engine[name]);
      const bytes = Uint8Array.from(atob(engine.wasm), (c) => c.charCodeAt(0));
      return /** @type {any} */ (new DataView(bytes.buffer));
    },
  };
}

/**
 * Panel's model as the player's host: `on`/`off` are Panel's own (`change:slide`
 * watches the `slide` parameter), `save_changes` has nothing to do (a set is sent).
 * @param {PanelModel} model
 * @returns {Host}
 */
export function panelHost(model) {
  return {
    get: (name) => /** @type {any} */ (name === "height" ? model.player_height : model[/** @type {Exclude<typeof name, "height">} */ (name)]),
    set: (name, value) => {
      if (name !== "height") Object.assign(model, { [name]: value });
    },
    save_changes() {},
    on: (event, callback) => model.on(event, callback),
    off: (event, callback) => model.off(event, callback),
    send: (message) => model.send_msg(message),
  };
}

/** @param {{ model: PanelModel, el: HTMLElement }} options */
export function render({ model, el }) {
  const element = document.createElement("div");
  const view = mount({ host: panelHost(model), el: element, engine: () => panelEngine(model.engine) });
  model.on("remove", view.stop);
  el.append(element);
  view.started.catch((/** @type {unknown} */ error) => failed(element, error));
}
