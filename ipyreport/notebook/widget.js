// The notebook player: the same player as the exported HTML, inside an
// anywidget view. The engine (Vizzu module and wasm) comes from one hidden
// engine widget per kernel and is loaded once per page, then shared. This
// module serves both widgets: the engine model starts loading the engine as
// soon as the page has it, before any story asks for it.

const RUNTIMES = Symbol.for("ipyreport.runtimes");
const STYLED = Symbol.for("ipyreport.styled");

async function engineModel(model) {
  const reference = model.get("engine");
  if (typeof reference !== "string") return reference;
  return model.widget_manager.get_model(reference.replace(/^IPY_MODEL_/, ""));
}

// A page's first chart pays for setting up the engine's canvas and text;
// a throwaway chart out of sight pays it while nobody waits.
async function firstDraw(Vizzu) {
  const scratch = document.createElement("div");
  scratch.setAttribute("aria-hidden", "true");
  scratch.style.cssText = "position: fixed; left: -10000px; top: 0; width: 320px; height: 200px";
  document.body.append(scratch);
  try {
    const chart = new Vizzu(scratch);
    await chart.initializing;
    const data = { series: [{ name: "x", type: "dimension", values: ["a", "b"] }, { name: "y", type: "measure", values: [1, 2] }] };
    await chart.animate({ data, config: { x: "x", y: "y", title: "a" } }, { duration: 0 });
    chart.detach();
  } finally {
    scratch.remove();
  }
}

function runtime(engine) {
  const cache = (globalThis[RUNTIMES] ??= new Map());
  const version = engine.get("version");
  if (!cache.has(version)) {
    cache.set(
      version,
      (async () => {
        performance.mark("ipyreport:engine-start");
        const url = (source, type) => URL.createObjectURL(new Blob([source], { type }));
        const { default: Vizzu } = await import(url(engine.get("vizzu"), "text/javascript"));
        const wasm = engine.get("wasm");
        const bytes = new Uint8Array(wasm.buffer, wasm.byteOffset, wasm.byteLength);
        // Mandatory here: anywidget imports modules from revoked blob URLs, so
        // Vizzu cannot find its wasm next to itself.
        Vizzu.options({ wasmUrl: url(bytes, "application/wasm") });
        await Vizzu.initialize();
        // The player's bundle: the player and every module it imports, as one.
        const player = await import(url(engine.get("player"), "text/javascript"));
        await firstDraw(Vizzu);
        performance.mark("ipyreport:engine-ready");
        return { Vizzu, player, markup: engine.get("markup"), css: engine.get("css") };
      })(),
    );
  }
  return cache.get(version);
}

// The player's style, once per document or shadow root (marimo shows each output in its own).
// Kept on the page, like the engine: anywidget imports this module once per model.
function addStyle(el, css) {
  const styled = (globalThis[STYLED] ??= new WeakSet());
  const root = el.getRootNode();
  const host = root instanceof ShadowRoot ? root : document.head;
  if (styled.has(host)) return;
  styled.add(host);
  const style = document.createElement("style");
  style.textContent = css;
  host.append(style);
}

const isEngine = (model) => typeof model.get("wasm") === "object" && model.get("story") === undefined;

export default {
  initialize({ model }) {
    // A story's render awaits the same load and reports its failure.
    if (isEngine(model)) runtime(model).catch(() => {});
  },
  async render({ model, el }) {
    if (isEngine(model)) return;
    performance.mark("ipyreport:render");
    const engine = await engineModel(model);
    const { Vizzu, player, markup, css } = await runtime(engine);
    addStyle(el, css);
    const story = JSON.parse(model.get("story"));
    const root = document.createElement("div");
    root.className = "ipyreport ipyreport-embedded";
    root.tabIndex = 0;
    // Lumino (JupyterLab, Notebook 7) skips its keyboard shortcuts inside this.
    root.dataset.lmSuppressShortcuts = "true";
    root.setAttribute("aria-roledescription", "data story");
    root.setAttribute("aria-label", story.title ?? "Data story");
    Object.assign(root.dataset, { table: "false", presenter: "false", info: "false" });
    root.style.setProperty("--ipyreport-height", `${model.get("height")}px`);
    root.innerHTML = markup; // the package's own static markup; story text goes in as textContent
    el.append(root);
    let api = null;
    let moving = Promise.resolve();
    const follow = () => (moving = api?.goTo(model.get("slide"), model.get("step")) ?? moving);
    const play = () => api?.togglePlay(model.get("playing"));
    // A selection made with a move (player.go(2); player.selection = ...) waits for the move.
    const select = () => moving.then(() => api?.select(model.get("selection")));
    model.on("change:slide", follow);
    model.on("change:step", follow);
    model.on("change:playing", play);
    model.on("change:selection", select);
    api = await player.start({
      Vizzu,
      story,
      root,
      hash: false,
      start: { slide: model.get("slide"), step: model.get("step") },
      onShown: ({ slide, step }) => {
        if (model.get("slide") !== slide || model.get("step") !== step) {
          model.set("slide", slide);
          model.set("step", step);
          model.save_changes();
        }
      },
      onPlaying: (playing) => {
        if (model.get("playing") !== playing) {
          model.set("playing", playing);
          model.save_changes();
        }
      },
      onMarkerClick: (marker) => model.send({ type: "click", ...marker }),
      onSelection: (where) => {
        if (JSON.stringify(model.get("selection") ?? {}) !== JSON.stringify(where)) {
          model.set("selection", where);
          model.save_changes();
        }
      },
    });
    if (Object.keys(model.get("selection") ?? {}).length) await select();
    // The view went away (cell cleared, output closed): stop its timers and engines.
    return () => {
      api?.destroy();
      model.off("change:slide", follow);
      model.off("change:step", follow);
      model.off("change:playing", play);
      model.off("change:selection", select);
    };
  },
};
