// @ts-check
// The player in a Streamlit component frame (ipyreport.streamlit.story). Streamlit
// serves this folder from the app's server; its messages are the player's host:
// the app's arguments come in, the viewer's position goes back as the value.
import { Listeners } from "./host.js";
import { failed, mount } from "./view.js";

/** @typedef {import("./host.js").Host} Host */
/** @typedef {import("./host.js").HostState} HostState */
/** @typedef {import("./host.js").Engine} Engine */
/** @typedef {import("./host.js").Marker} Marker */

/** What the app passes: `ipyreport.streamlit.story`'s arguments. */
/** @typedef {{ story: string, height: number, slide: number, step: number }} Args */

/** @param {string} type @param {object} fields */
const send = (type, fields) => window.parent.postMessage({ isStreamlitMessage: true, type, ...fields }, "*");

/**
 * The notebook widget's engine state, served beside this module (its wasm a file of its own).
 * @returns {Promise<Engine>}
 */
async function served() {
  const [sources, wasm] = await Promise.all([
    fetch("engine.json").then((response) => response.json()),
    fetch("cvizzu.wasm").then((response) => response.arrayBuffer()),
  ]);
  const state = { ...sources, wasm: new DataView(wasm) };
  return { get: (name) => state[name] };
}

/**
 * A host kept in the frame: the app's value is what `save_changes` sends, and a
 * click is sent as the value's `clicked`.
 * @param {Args} args
 * @returns {{ host: Host, moved(args: Args): void }}
 */
export function streamlitHost(args) {
  /** @type {HostState} */
  const state = { story: args.story, height: args.height, slide: args.slide, step: args.step, selection: {}, playing: false };
  /** @type {Marker | null} */
  let clicked = null;
  const listeners = new Listeners();
  /** @type {Host} */
  const host = {
    get: (name) => state[name],
    set: (name, value) => {
      state[name] = value;
    },
    save_changes() {
      const { slide, step, selection, playing } = state;
      send("streamlit:setComponentValue", { value: { slide, step, selection, playing, clicked }, dataType: "json" });
    },
    on: (event, callback) => listeners.on(event, callback),
    off: (event, callback) => listeners.off(event, callback),
    send(message) {
      const { categories = {}, values = {}, chart = null } = message;
      clicked = { categories, values, chart };
      host.save_changes();
    },
  };
  // The app asked for another position: the story follows, and the app's value says where it is.
  const moved = (/** @type {Args} */ next) => {
    Object.assign(state, { slide: next.slide, step: next.step });
    listeners.emit("change:slide");
    host.save_changes();
  };
  return { host, moved };
}

/** Start the frame: wait for the app's first arguments, then show the story. */
export function run() {
  /** @type {Args | null} the app's last arguments: a move is followed only when they change */
  let asked = null;
  /** @type {ReturnType<typeof streamlitHost> | null} */
  let shown = null;
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || event.data?.type !== "streamlit:render") return;
    /** @type {Args} */
    const args = event.data.args;
    if (asked === null || shown === null) {
      shown = streamlitHost(args);
      const element = /** @type {HTMLElement} */ (document.getElementById("story"));
      mount({ host: shown.host, el: element, engine: served }).started.catch((/** @type {unknown} */ error) =>
        failed(element, error),
      );
      new ResizeObserver(() => send("streamlit:setFrameHeight", { height: document.body.scrollHeight })).observe(
        document.body,
      );
    } else if (args.slide !== asked.slide || args.step !== asked.step) {
      shown.moved(args);
    }
    asked = args;
  });
  send("streamlit:componentReady", { apiVersion: 1 });
}

// Only a component frame has the app to talk to.
if (window.parent !== window) run();
