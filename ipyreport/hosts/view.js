// @ts-check
// One view of a story player in a host: the same player as the exported page,
// inside an element the host gives. The engine (Vizzu module and wasm) and the
// player's code are loaded once per page, then shared by every view.

/** @typedef {import("./host.js").Host} Host */
/** @typedef {import("./host.js").HostEvent} HostEvent */
/** @typedef {import("./host.js").Engine} Engine */
/** @typedef {import("../export/document").StoryDocument} StoryDocument */

/**
 * What a page loads once: the engine and the player's bundle (hosts/page.js).
 * @typedef {{
 *   Vizzu: typeof import("vizzu").default,
 *   player: typeof import("./page.js"),
 *   markup: string,
 *   css: string,
 * }} Runtime
 */

const RUNTIMES = Symbol.for("ipyreport.runtimes");
const STYLED = Symbol.for("ipyreport.styled");

/**
 * A page's first chart pays for setting up the engine's canvas and text;
 * a throwaway chart out of sight pays it while nobody waits.
 * @param {any} Vizzu
 */
async function firstDraw(Vizzu) {
  const scratch = document.createElement("div");
  scratch.setAttribute("aria-hidden", "true");
  scratch.style.cssText = "position: fixed; left: -10000px; top: 0; width: 320px; height: 200px";
  document.body.append(scratch);
  try {
    const chart = new Vizzu(scratch);
    await chart.initializing;
    const data = {
      series: [
        { name: "x", type: "dimension", values: ["a", "b"] },
        { name: "y", type: "measure", values: [1, 2] },
      ],
    };
    await chart.animate({ data, config: { x: "x", y: "y", title: "a" } }, { duration: 0 });
    chart.detach();
  } finally {
    scratch.remove();
  }
}

/**
 * The page's one load of this engine version, started by whoever asks first.
 * @param {Engine} engine
 * @returns {Promise<Runtime>}
 */
export function runtime(engine) {
  /** @type {Map<string, Promise<Runtime>>} */
  const cache = (/** @type {any} */ (globalThis)[RUNTIMES] ??= new Map());
  const version = engine.get("version");
  const cached = cache.get(version);
  if (cached) return cached;
  const loading = (async () => {
    performance.mark("ipyreport:engine-start");
    /** @param {BlobPart} source @param {string} type */
    const url = (source, type) => URL.createObjectURL(new Blob([source], { type }));
    const { default: Vizzu } = await import(url(engine.get("vizzu"), "text/javascript"));
    const wasm = engine.get("wasm");
    let bytes = new Uint8Array(wasm.buffer, wasm.byteOffset, wasm.byteLength);
    // The notebook's engine widget sends it gzipped (the notebook saves it so), other hosts as it is.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      bytes = new Uint8Array(await new Response(inflated).arrayBuffer());
    }
    // Mandatory here: anywidget imports modules from revoked blob URLs, so
    // Vizzu cannot find its wasm next to itself.
    Vizzu.options({ wasmUrl: url(bytes, "application/wasm") });
    await Vizzu.initialize();
    // The player's bundle: the player and every module it imports, as one.
    const player = await import(url(engine.get("player"), "text/javascript"));
    await firstDraw(Vizzu);
    performance.mark("ipyreport:engine-ready");
    return { Vizzu, player, markup: engine.get("markup"), css: engine.get("css") };
  })();
  cache.set(version, loading);
  return loading;
}

/**
 * The player's style, once per document or shadow root (marimo shows each output in its own).
 * Kept on the page, like the engine: anywidget imports a host's module once per model.
 * @param {HTMLElement} el
 * @param {string} css
 */
function addStyle(el, css) {
  /** @type {WeakSet<Node>} */
  const styled = (/** @type {any} */ (globalThis)[STYLED] ??= new WeakSet());
  const root = el.getRootNode();
  const host = root instanceof ShadowRoot ? root : document.head;
  if (styled.has(host)) return;
  styled.add(host);
  const style = document.createElement("style");
  style.textContent = css;
  host.append(style);
}

/**
 * A story that could not start says so where it would have been.
 * @param {HTMLElement} el
 * @param {unknown} error
 */
export function failed(el, error) {
  console.error("ipyreport: the story could not start", error);
  const note = document.createElement("p");
  note.setAttribute("role", "alert");
  note.textContent = `The story could not start: ${error instanceof Error ? error.message : String(error)}`;
  el.append(note);
}

/**
 * What a player tells its host: the position and play mode it shows, the marks
 * clicked, the cross-filter in view; nothing once `stopped()`.
 * @param {Host} host
 * @param {() => boolean} stopped
 */
export function following(host, stopped) {
  return {
    onShown: (/** @type {{ slide: number, step: number }} */ { slide, step }) => {
      if (stopped()) return;
      if (host.get("slide") !== slide || host.get("step") !== step) {
        host.set("slide", slide);
        host.set("step", step);
        host.save_changes();
      }
    },
    onPlaying: (/** @type {boolean} */ playing) => {
      if (!stopped() && host.get("playing") !== playing) {
        host.set("playing", playing);
        host.save_changes();
      }
    },
    onMarkerClick: (/** @type {import("./host.js").Marker} */ marker) => {
      if (!stopped()) host.send({ type: "click", ...marker });
    },
    onSelection: (/** @type {object} */ where) => {
      if (!stopped() && JSON.stringify(host.get("selection") ?? {}) !== JSON.stringify(where)) {
        host.set("selection", /** @type {import("./host.js").Selection} */ (where));
        host.save_changes();
      }
    },
  };
}

/**
 * Show the host's story in `el`, following and updating the host's position.
 *
 * Everything the view holds is given back by `stop()`, which is ready before the
 * first await: stopped while the engine loads or the player starts, the view
 * listens to nothing from then on, and the player it was starting lets go of its
 * engines as soon as it has them.
 *
 * @param {{ host: Host, el: HTMLElement, engine: () => Engine | Promise<Engine> }} options
 * @returns {{ stop: () => void, started: Promise<void> }}
 */
export function mount({ host, el, engine }) {
  /** @type {Awaited<ReturnType<Runtime["player"]["start"]>> | null} the player's api, once started */
  let api = null;
  let stopped = false;
  let moving = Promise.resolve();
  const follow = () => (moving = api?.goTo(host.get("slide"), host.get("step")) ?? moving);
  const play = () => api?.togglePlay(host.get("playing"));
  // A selection made with a move (player.go(2); player.selection = ...) waits for the move.
  const select = () => moving.then(() => api?.select(host.get("selection")));
  /** @type {[HostEvent, () => void][]} */
  const listening = [
    ["change:slide", follow],
    ["change:step", follow],
    ["change:playing", play],
    ["change:selection", select],
  ];
  for (const [event, callback] of listening) host.on(event, callback);
  // The view went away (cell cleared, output closed, app rerun): stop its timers and engines.
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const [event, callback] of listening) host.off(event, callback);
    api?.destroy();
  };
  const started = (async () => {
    const { Vizzu, player, markup, css } = await runtime(await engine());
    if (stopped) return;
    addStyle(el, css);
    /** @type {StoryDocument} */
    const story = JSON.parse(host.get("story"));
    const root = document.createElement("div");
    root.className = "ipyreport ipyreport-embedded";
    root.tabIndex = 0;
    // Lumino (JupyterLab, Notebook 7) skips its keyboard shortcuts inside this.
    root.dataset.lmSuppressShortcuts = "true";
    root.setAttribute("aria-roledescription", "data story");
    root.setAttribute("aria-label", story.title ?? "Data story");
    Object.assign(root.dataset, { table: "false", presenter: "false", info: "false" });
    root.style.setProperty("--ipyreport-height", `${host.get("height")}px`);
    root.innerHTML = markup; // the package's own static markup; story text goes in as textContent
    el.append(root);
    const started = await player.start({
      Vizzu,
      story,
      root,
      hash: false,
      start: { slide: host.get("slide"), step: host.get("step") },
      ...following(host, () => stopped),
    });
    if (stopped) {
      started.destroy();
      return;
    }
    api = started;
    if (Object.keys(host.get("selection") ?? {}).length) await select();
  })();
  // A view that cannot start listens to nothing either.
  started.catch(stop);
  return { stop, started };
}
