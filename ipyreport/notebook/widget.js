// @ts-check
// The notebook player (anywidget): its model is the player's host as it is.
// The engine comes from one hidden engine widget per kernel and is loaded once
// per page, then shared. This module serves both widgets: the engine model
// starts loading the engine as soon as the page has it, before any story asks.
import { failed, mount, runtime } from "../hosts/view.js";

/** @typedef {import("../hosts/host.js").Host} Host */
/** @typedef {import("../hosts/host.js").Engine} Engine */

/**
 * A story widget's model: the host, plus its engine widget (a reference until resolved).
 * @typedef {Host & {
 *   get(name: "engine"): Engine | string,
 *   widget_manager: { get_model(id: string): Promise<Engine> },
 * }} StoryModel
 */

/**
 * @param {StoryModel} model
 * @returns {Promise<Engine>}
 */
async function engineModel(model) {
  const reference = model.get("engine");
  if (typeof reference !== "string") return reference;
  return model.widget_manager.get_model(reference.replace(/^IPY_MODEL_/, ""));
}

/** @param {any} model */
const isEngine = (model) => typeof model.get("wasm") === "object" && model.get("story") === undefined;

export default {
  /** @param {{ model: any }} options */
  initialize({ model }) {
    // A story's render awaits the same load and reports its failure.
    if (isEngine(model)) runtime(model).catch(() => {});
  },
  /**
   * Resolves to the view's cleanup at once, before the story starts, so a view closed
   * while it starts (anywidget then calls the cleanup, or aborts `signal`) lets go of
   * its listeners and engines.
   * @param {{ model: StoryModel, el: HTMLElement, signal?: AbortSignal }} options
   */
  render({ model, el, signal }) {
    if (isEngine(model)) return undefined;
    performance.mark("ipyreport:render");
    const view = mount({ host: model, el, engine: () => engineModel(model) });
    if (signal?.aborted) view.stop();
    signal?.addEventListener("abort", view.stop, { once: true });
    view.started.catch((/** @type {unknown} */ error) => failed(el, error));
    return view.stop;
  },
};
