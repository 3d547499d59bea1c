// @ts-check
// The player as an exported page (export/html.py): the page is its host. The
// page carries the engine, its wasm and this bundle packed in script elements;
// its bootstrap unpacks them and calls `play`. Each story on the page (an
// article made from a notebook has several) plays in its own root. An article
// is scrolled: the page keeps its keys and its URL, and its blocks move the
// story (export/article.js). The notebook's hosts load this bundle too, for `start`.
import { follow } from "../export/article.js";
import { start } from "../export/player.js";
import { Listeners } from "./host.js";
import { following } from "./view.js";

export { follow, start };

/** @typedef {import("./host.js").Host} Host */
/** @typedef {import("./host.js").HostState} HostState */

/**
 * A story's root on the page as its host: the document from the script element
 * the root names, and a position nobody outside the page sets (the URL is the
 * player's own, see controllers.js `location`); a click goes nowhere.
 * @param {HTMLElement} root
 * @returns {Host}
 */
export function pageHost(root) {
  const script = document.getElementById(root.dataset.ipyreportStory ?? "");
  if (!script) throw new Error(`ipyreport: no story named ${root.dataset.ipyreportStory} on this page; export it again`);
  /** @type {HostState} */
  const state = { story: script.textContent ?? "", height: root.clientHeight, slide: 0, step: 0, playing: false, selection: {} };
  const listeners = new Listeners();
  return {
    get: (name) => state[name],
    set: (name, value) => {
      if (state[name] === value) return;
      state[name] = value;
      listeners.emit(`change:${name}`);
    },
    save_changes() {},
    on: (event, callback) => listeners.on(event, callback),
    off: (event, callback) => listeners.off(event, callback),
    send() {},
  };
}

/**
 * Play every story on the page. `engine` and `wasm` are the unpacked engine
 * module and its WebAssembly, `css` the player's style.
 * @param {{ css: string, engine: Promise<ArrayBuffer>, wasm: Promise<ArrayBuffer> }} packed
 */
export async function play({ css, engine, wasm }) {
  /** @param {BlobPart} source @param {string} type */
  const url = (source, type) => URL.createObjectURL(new Blob([source], { type }));
  const { default: Vizzu } = await import(url(await engine, "text/javascript"));
  Vizzu.options({ wasmUrl: url(await wasm, "application/wasm") });
  const compiled = Vizzu.initialize();
  // The page stays hidden until it is styled.
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  await compiled;
  for (const root of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-ipyreport-story]"))) {
    const host = pageHost(root);
    const scrolled = root.dataset.layout === "scroll";
    // A page shown from srcdoc (a notebook's fallback, a Streamlit frame) has no address of its own to link a slide with.
    const hash = !scrolled && location.href !== "about:srcdoc";
    const api = await start({ Vizzu, story: JSON.parse(host.get("story")), root, page: !scrolled, hash, ...following(host, () => false) });
    if (scrolled) follow({ root, api });
  }
}
