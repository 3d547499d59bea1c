"""The player's hosts (anywidget, Panel, Streamlit), their bundles as they ship, in Chromium on
models made here: a view that goes away, even while it starts, leaves no listener on its model
and no engine behind."""

import json
import mimetypes

import pytest

from ipyreport import Slide, Story, assets, presets
from ipyreport.notebook.widget import engine_state

from .lab import wait_for

ORIGIN = "http://hosts.test"
HOSTS = ("widget", "panel", "streamlit")

# Models as each host gives them, made in the page from the modules under test.
SETUP = """async () => {
  // Callbacks by event, counted: what a model holds for its views.
  class Listeners {
    byEvent = new Map();
    on(event, callback) { this.byEvent.set(event, [...(this.byEvent.get(event) ?? []), callback]); }
    off(event, callback) { this.byEvent.set(event, (this.byEvent.get(event) ?? []).filter((c) => c !== callback)); }
    emit(event) { for (const callback of this.byEvent.get(event) ?? []) callback(); }
    get size() { return [...this.byEvent.values()].reduce((n, callbacks) => n + callbacks.length, 0); }
  }
  const [sources, wasm] = await Promise.all([
    fetch("/engine.json").then((r) => r.json()),
    fetch("/cvizzu.wasm").then((r) => r.arrayBuffer()),
  ]);
  const engine = { get: (name) => (name === "wasm" ? new DataView(wasm) : sources[name]) };
  const base64 = btoa(Array.from(new Uint8Array(wasm), (b) => String.fromCharCode(b)).join(""));
  window.hosts = {
    widget: (await import("/bundle/widget.js")).default,
    panel: await import("/bundle/panel.js"),
    streamlit: await import("/bundle/streamlit.js"),
    // anywidget's model: traits by name, change events by "change:NAME".
    anywidget(story) {
      const state = { story, height: 300, slide: 1, step: 1, playing: false, selection: {}, engine };
      const listeners = new Listeners();
      return {
        listeners,
        get: (name) => state[name],
        set: (name, value) => { state[name] = value; },
        save_changes() {},
        on: (event, callback) => listeners.on(event, callback),
        off: (event, callback) => listeners.off(event, callback),
        send() {},
        move(slide) { state.slide = slide; listeners.emit("change:slide"); },
      };
    },
    // Panel's JSComponent model: parameters as properties, events by name, "remove" when the view goes.
    panelModel(story) {
      const listeners = new Listeners();
      const model = {
        story, player_height: 300, slide: 1, step: 1, playing: false, selection: {},
        engine: { ...sources, wasm: base64 },
        listeners,
        on: (event, callback) => listeners.on(event.replace(/^change:/, ""), callback),
        off: (event, callback) => listeners.off(event.replace(/^change:/, ""), callback),
        send_msg() {},
        move(slide) { model.slide = slide; listeners.emit("slide"); },
      };
      return model;
    },
    element() {
      const el = document.createElement("div");
      document.body.append(el);
      return el;
    },
  };
}"""


def _story() -> bytes:
    data = {"Region": ["North", "South", "East"], "Revenue": [3.0, 5.0, 4.0]}
    chart = presets.chart(kind="column", x="Region", y="Revenue", duration=0)
    return Story(data, slides=[Slide(chart, title="One"), Slide(chart, title="Two")]).to_json()


@pytest.fixture(scope="module")
def page(browser):
    engine = engine_state()
    files = {
        "/index.html": b"<!doctype html><html><head><title>hosts</title></head><body></body></html>",
        "/cvizzu.wasm": engine.pop("wasm"),
        "/engine.json": json.dumps(engine).encode("utf-8"),
        # The hosts' modules as they ship: each bundled with what it imports.
        **{f"/bundle/{name}.js": assets.player_bundle(name).encode("utf-8") for name in HOSTS},
    }

    def serve(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path not in files:
            route.fulfill(status=404, body=b"")
            return
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        route.fulfill(status=200, body=files[path], content_type=kind)

    context = browser.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/index.html")
    page.evaluate(SETUP)
    yield page
    assert errors == []
    context.close()


def _set_story(page):
    page.evaluate("(story) => { window.story = story; }", _story().decode("utf-8"))


OPEN_ONE = """async () => {
  const model = hosts.anywidget(story);
  const el = hosts.element();
  const cleanup = await hosts.widget.render({ model, el });
  await new Promise((done) => { const wait = () => el.querySelector(".ipyreport")?.dataset.ready === "true" ? done() : setTimeout(wait, 20); wait(); });
  window.kept = { model, el, cleanup };
  return el.querySelector(".ipyreport").ipyreport.live.charts;
}"""
LIVE = "() => window.kept.el.querySelector('.ipyreport').ipyreport.live.charts"


def test_a_notebook_view_closed_while_it_starts_leaves_no_engine_and_no_listener(page):
    _set_story(page)
    single = page.evaluate(OPEN_ONE)
    assert single == 1
    closed = page.evaluate(
        """async () => {
      const model = hosts.anywidget(story);
      const el = hosts.element();
      const cleanup = await hosts.widget.render({ model, el });
      // The cleanup is there before the story is: closed once its chart exists and
      // its first step is on the way, while the player is still starting.
      return await new Promise((done) => {
        const started = el.querySelector(".ipyreport");
        if (started?.dataset.slide) {
          done({ ready: started.dataset.ready ?? null, engines: null, listeners: model.listeners.size });
          return;
        }
        const seen = new MutationObserver(() => {
          const root = el.querySelector(".ipyreport");
          if (!root?.dataset.slide) return;
          seen.disconnect();
          const ready = root.dataset.ready ?? null;
          const engines = kept.el.querySelector(".ipyreport").ipyreport.live.charts;
          cleanup();
          window.quit = { model, root };
          done({ ready, engines, listeners: model.listeners.size });
        });
        seen.observe(el, { subtree: true, attributes: true, childList: true });
      });
    }"""
    )
    assert closed == {"ready": None, "engines": 2, "listeners": 0}
    # The player it was starting lets go of its engine as soon as it has started.
    wait_for(page, f"() => ({LIVE})() === {single}", timeout=20)
    assert page.evaluate("() => quit.root.ipyreport") is None


def test_a_notebook_view_aborted_by_anywidget_lets_go_of_everything(page):
    _set_story(page)
    page.evaluate(OPEN_ONE)
    single = page.evaluate(LIVE)
    result = page.evaluate(
        """async () => {
      const model = hosts.anywidget(story);
      const el = hosts.element();
      const views = new AbortController();
      hosts.widget.render({ model, el, signal: views.signal });
      views.abort();
      return model.listeners.size;
    }"""
    )
    assert result == 0
    wait_for(page, f"() => ({LIVE})() === {single}", timeout=20)


def test_after_its_cleanup_a_notebook_view_follows_its_model_no_more(page):
    _set_story(page)
    page.evaluate(OPEN_ONE)
    moved = page.evaluate(
        """async () => {
      const { model, el, cleanup } = kept;
      const root = el.querySelector(".ipyreport");
      const before = model.listeners.size;
      model.move(2);
      await new Promise((done) => { const wait = () => root.dataset.slide === "2" ? done() : setTimeout(wait, 20); wait(); });
      await root.ipyreport.idle();
      cleanup();
      model.move(1);
      await new Promise((done) => setTimeout(done, 100));
      return { before, after: model.listeners.size, slide: root.dataset.slide };
    }"""
    )
    assert moved == {"before": 4, "after": 0, "slide": "2"}


def test_a_panel_view_that_goes_away_unsubscribes_from_its_model(page):
    _set_story(page)
    result = page.evaluate(
        """async () => {
      const model = hosts.panelModel(story);
      const el = hosts.element();
      hosts.panel.render({ model, el });
      await new Promise((done) => { const wait = () => el.querySelector(".ipyreport")?.dataset.ready === "true" ? done() : setTimeout(wait, 20); wait(); });
      const root = el.querySelector(".ipyreport");
      const before = model.listeners.size;
      const engines = root.ipyreport.live.charts;
      model.listeners.emit("remove");
      return { before, after: model.listeners.size, engines, gone: root.ipyreport === undefined };
    }"""
    )
    # slide, step, playing, selection and Panel's own "remove"
    assert result == {"before": 5, "after": 1, "engines": result["engines"], "gone": True}


def test_the_streamlit_host_unsubscribes_and_follows_the_app(page):
    result = page.evaluate(
        """() => {
      const args = { story, height: 300, slide: 1, step: 1 };
      const { host, moved } = hosts.streamlit.streamlitHost(args);
      const heard = [];
      const hear = () => heard.push(host.get("slide"));
      host.on("change:slide", hear);
      moved({ ...args, slide: 2 });
      host.off("change:slide", hear);
      moved({ ...args, slide: 3 });
      return { heard, slide: host.get("slide") };
    }"""
    )
    assert result == {"heard": [2], "slide": 3}
