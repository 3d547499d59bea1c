// The ipyreport story player: plays a story's slides and steps in a Vizzu chart.
//
// Keys: → ↓ PageDown Space next · ← ↑ PageUp back · Home End · P play/pause ·
// F fullscreen · T data table · S presenter view · I how it was made. The URL hash (#3 or #3.2)
// follows the slide and step, and opening such a link starts there.
// Every text from the story goes in through textContent, never as markup.

const HOLD_SECONDS = 2; // how long play mode rests on each step
const CHANNELS = ["x", "y", "color", "lightness", "size", "noop", "label"];

const INK = { light: "#1d2430", dark: "#e8ecf2" };
const THEMES = {
  light: { backgroundColor: "#ffffffff" },
  dark: {
    backgroundColor: "#14181fff",
    title: { color: INK.dark },
    subtitle: { color: INK.dark },
    legend: { title: { color: INK.dark }, label: { color: INK.dark } },
    plot: {
      xAxis: { label: { color: INK.dark }, title: { color: INK.dark } },
      yAxis: { label: { color: INK.dark }, title: { color: INK.dark } },
      marker: { label: { color: INK.dark } },
    },
  },
};

function merge(base, extra) {
  const result = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const inner = result[key];
    result[key] =
      value && typeof value === "object" && !Array.isArray(value) && inner && typeof inner === "object"
        ? merge(inner, value)
        : value;
  }
  return result;
}

function flatten(story) {
  const positions = [];
  story.slides.forEach((slide, s) => slide.steps.forEach((_, k) => positions.push({ slide: s, step: k })));
  return positions;
}

function formatter(lang) {
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  return (value) => (typeof value === "number" ? number.format(value) : value === null ? "–" : String(value));
}

function fillTable(element, rows, lang) {
  element.replaceChildren();
  if (!rows) {
    const note = document.createElement("caption");
    note.textContent = "No table for this step (it uses a custom JavaScript filter).";
    element.append(note);
    return;
  }
  const format = formatter(lang);
  const caption = document.createElement("caption");
  caption.textContent =
    rows.total > rows.rows.length ? `Data behind this chart (first ${rows.rows.length} of ${rows.total} rows)` : "Data behind this chart";
  const head = document.createElement("thead");
  const headRow = document.createElement("tr");
  for (const column of rows.columns) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = column;
    headRow.append(cell);
  }
  head.append(headRow);
  const body = document.createElement("tbody");
  const numeric = rows.columns.length - rows.measures;
  for (const row of rows.rows) {
    const tr = document.createElement("tr");
    row.forEach((value, i) => {
      const cell = document.createElement(i < numeric ? "th" : "td");
      if (i < numeric) cell.scope = "row";
      cell.textContent = format(value);
      tr.append(cell);
    });
    body.append(tr);
  }
  element.append(caption, head, body);
}

// Options: `hash` (false inside a notebook: leave the page URL alone),
// `start` ({slide, step}, 1-based, to open at), `onShown({index, slide,
// step})` as each step starts showing, `onPlaying(bool)` when play mode changes,
// `onMarkerClick({categories, values})` when a mark is clicked.
export async function start({
  Vizzu,
  steps,
  story,
  root,
  hash = true,
  start = null,
  onShown,
  onPlaying,
  onMarkerClick,
}) {
  const $ = (selector) => root.querySelector(selector);
  const positions = flatten(story);
  const allSteps = story.slides.flatMap((slide) => slide.steps);
  const datasets = Object.fromEntries(
    Object.entries(story.datasets).map(([key, data]) => [key, steps.prepareData(data, story.placeholders?.[key])]),
  );
  const raw = await steps.loadRawFilters(allSteps);
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");
  const theme = story.theme === "auto" || !story.theme ? (darkScheme.matches ? "dark" : "light") : story.theme;
  root.dataset.theme = theme;

  // The theme and the story's style go out with a chart's first step,
  // so the first frame is already the finished one.
  const baseStyle = merge(THEMES[theme], story.style ?? {});

  async function makeChart(element) {
    const chart = await new Vizzu(element).initializing;
    // The engine's logo opens the vendor's web page: a network request.
    chart.on("click", (event) => {
      if (event.target?.tagName === "logo") event.preventDefault();
      else if (event.target?.tagName === "plot-marker" && onMarkerClick) {
        const { categories, values } = event.target;
        onMarkerClick({ categories: { ...categories }, values: { ...values } });
      }
    });
    chart.styled = false;
    return chart;
  }

  const chart = await makeChart($(".ipyreport-chart"));
  if (story.tooltips !== false) chart.feature("tooltip", true);
  let preview = null; // the presenter view's next-step chart, made on first use

  let index = -1;
  let dataset = null;
  let busy = false;
  let pending = null;
  let playing = false;
  let timer = null;
  let startedAt = null;

  function render() {
    const { slide: s, step: k } = positions[index];
    const slide = story.slides[s];
    const step = slide.steps[k];
    $(".ipyreport-title").textContent = slide.title ?? story.title ?? "";
    $(".ipyreport-progress-text").textContent = `Slide ${s + 1} / ${story.slides.length}`;
    const bar = $(".ipyreport-progress");
    bar.max = positions.length;
    bar.value = index + 1;
    $(".ipyreport-alt").textContent = step.alt ?? "";
    $(".ipyreport-prev").disabled = index === 0;
    $(".ipyreport-next").disabled = index === positions.length - 1;
    fillTable($(".ipyreport-table"), step.table, story.lang);
    $(".ipyreport-notes").textContent = slide.notes ?? "";
    const next = positions[index + 1];
    $(".ipyreport-next-title").textContent = next
      ? `Next: ${story.slides[next.slide].title ?? `slide ${next.slide + 1}`}${next.slide === s ? " (next step)" : ""}`
      : "End of the story";
    const link = slide.steps.length > 1 ? `#${s + 1}.${k + 1}` : `#${s + 1}`;
    if (hash && window.location.hash !== link) history.replaceState(null, "", link);
    root.dataset.slide = String(s + 1);
    root.dataset.step = String(k + 1);
    onShown?.({ index, slide: s + 1, step: k + 1 });
    if (root.dataset.presenter === "true") updatePreview();
  }

  async function apply(target, step, options, state) {
    const next = steps.stepTarget(step, datasets, state.dataset, raw);
    state.dataset = next.dataset;
    if (!target.styled) {
      next.target.style = merge(baseStyle, next.target.style ?? {});
      target.styled = true;
    }
    const animation = reducedMotion.matches || options === 0 ? 0 : { ...next.options, ...(options ?? {}) };
    await target.animate(next.target, animation);
  }

  // Replay, without animation, from the last step at or before `target`
  // that fixes the whole chart, so a jump never leaves a half-drawn chart.
  async function replayTo(target, on, state) {
    let from = target;
    while (from > 0 && !allSteps[from].complete) from -= 1;
    for (let i = from; i < target; i += 1) await apply(on, allSteps[i], 0, state);
  }

  async function go(target) {
    target = Math.max(0, Math.min(positions.length - 1, target));
    if (busy) {
      // A fast key press finishes the running animation at once, then
      // goes where the viewer asked; it never stacks up or gets stuck.
      pending = target;
      try {
        chart.animation.seek("100%");
      } catch {
        // no animation running: the queued target is handled right after
      }
      return;
    }
    if (target === index) return;
    busy = true;
    const state = { dataset };
    const forward = target === index + 1;
    try {
      if (!forward) await replayTo(target, chart, state);
      index = target;
      render();
      await apply(chart, allSteps[index], forward ? undefined : { duration: 0.4 }, state);
    } catch (error) {
      console.error("ipyreport: could not show this step", error);
    } finally {
      dataset = state.dataset;
      busy = false;
    }
    if (pending !== null) {
      const queued = pending;
      pending = null;
      await go(queued);
    }
  }

  async function updatePreview() {
    if (!preview) preview = { chart: await makeChart($(".ipyreport-preview")), busy: false };
    if (preview.busy) return;
    preview.busy = true;
    try {
      const target = Math.min(index + 1, positions.length - 1);
      const state = { dataset: null };
      await replayTo(target, preview.chart, state);
      await apply(preview.chart, allSteps[target], 0, state);
    } catch (error) {
      console.error("ipyreport: could not draw the preview", error);
    } finally {
      preview.busy = false;
    }
  }

  function fromHash() {
    const match = /^#(\d+)(?:\.(\d+))?$/.exec(window.location.hash);
    if (!match) return 0;
    const s = Math.max(1, Math.min(Number(match[1]), story.slides.length)) - 1;
    const k = Math.min(match[2] ? Number(match[2]) - 1 : 0, story.slides[s].steps.length - 1);
    const found = positions.findIndex((p) => p.slide === s && p.step === Math.max(0, k));
    return found < 0 ? 0 : found;
  }

  function stepSeconds() {
    const duration = allSteps[index].animation?.duration;
    return (typeof duration === "number" ? duration : 1) + HOLD_SECONDS;
  }

  function togglePlay(force) {
    const was = playing;
    playing = force ?? !playing;
    if (was !== playing) onPlaying?.(playing);
    const button = $(".ipyreport-play");
    button.textContent = playing ? "Pause" : "Play";
    button.setAttribute("aria-pressed", String(playing));
    clearTimeout(timer);
    const tick = async () => {
      if (!playing) return;
      const atEnd = index + 1 >= positions.length;
      if (atEnd && story.loop === false) return togglePlay(false);
      await go(atEnd ? 0 : index + 1);
      timer = setTimeout(tick, stepSeconds() * 1000);
    };
    if (playing) timer = setTimeout(tick, stepSeconds() * 1000);
  }

  function toggle(name, button) {
    const on = root.dataset[name] !== "true";
    root.dataset[name] = String(on);
    $(button).setAttribute("aria-pressed", String(on));
    return on;
  }

  function togglePresenter() {
    if (toggle("presenter", ".ipyreport-presenter-toggle")) {
      startedAt ??= Date.now();
      updatePreview();
    }
  }

  setInterval(() => {
    if (startedAt === null) return;
    const seconds = Math.floor((Date.now() - startedAt) / 1000);
    $(".ipyreport-timer").textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  }, 500);

  // Relative moves count from where the viewer is heading, so three quick
  // presses move three steps even while an animation runs.
  const here = () => pending ?? index;
  const forward = () => go(here() + 1);
  const back = () => go(here() - 1);
  const keys = {
    ArrowRight: forward,
    ArrowDown: forward,
    PageDown: forward,
    " ": forward,
    ArrowLeft: back,
    ArrowUp: back,
    PageUp: back,
    Home: () => go(0),
    End: () => go(positions.length - 1),
    p: () => togglePlay(),
    f: () => (document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen?.()),
    t: () => toggle("table", ".ipyreport-table-toggle"),
    i: () => toggle("info", ".ipyreport-info-toggle"),
    s: () => togglePresenter(),
  };
  root.addEventListener("keydown", (event) => {
    if (event.target.closest?.("button") && (event.key === " " || event.key === "Enter")) return;
    const action = keys[event.key] ?? keys[event.key.toLowerCase()];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  });
  $(".ipyreport-prev").addEventListener("click", back);
  $(".ipyreport-next").addEventListener("click", forward);
  $(".ipyreport-play").addEventListener("click", () => togglePlay());
  $(".ipyreport-table-toggle").addEventListener("click", () => toggle("table", ".ipyreport-table-toggle"));
  $(".ipyreport-presenter-toggle").addEventListener("click", () => togglePresenter());
  $(".ipyreport-info-toggle").addEventListener("click", () => toggle("info", ".ipyreport-info-toggle"));
  $(".ipyreport-provenance").textContent = story.provenance
    ? JSON.stringify(story.provenance, null, 2)
    : "Built with the ipyreport Python API (no spec file).";
  if (hash) window.addEventListener("hashchange", () => go(fromHash()));

  // Frame-accurate capture (video): play the step after the current one
  // paused, seek through it, and read the canvas at each of `count` + 1
  // evenly spaced points; the player then stands on that step.
  async function capture(count) {
    const target = index + 1;
    const state = { dataset };
    const next = steps.stepTarget(allSteps[target], datasets, state.dataset, raw);
    const canvas = root.querySelector(".ipyreport-chart canvas");
    const animation = chart.animate(next.target, { ...next.options, playState: "paused" });
    const control = await animation.activated;
    const frames = [];
    for (let frame = 0; frame <= count; frame += 1) {
      control.seek(`${(frame / count) * 100}%`);
      chart.feature.rendering.update();
      frames.push(canvas.toDataURL("image/png"));
    }
    control.play();
    await animation;
    dataset = next.dataset;
    index = target;
    render();
    return frames;
  }

  const api = {
    go,
    capture,
    snapshot: () => root.querySelector(".ipyreport-chart canvas").toDataURL("image/png"),
    // 1-based slide and step, as the URL hash and the notebook widget count.
    goTo: (slide, step = 1) => {
      const found = positions.findIndex((p) => p.slide === slide - 1 && p.step === step - 1);
      return found < 0 ? Promise.resolve() : go(found);
    },
    togglePlay,
    next: forward,
    previous: back,
    get index() {
      return index;
    },
    get busy() {
      return busy || pending !== null;
    },
  };
  root.ipyreport = api;
  const opening = start ? positions.findIndex((p) => p.slide === start.slide - 1 && p.step === start.step - 1) : -1;
  await go(opening >= 0 ? opening : hash ? fromHash() : 0);
  // Milliseconds from navigation to the first drawn step (for benchmarks).
  root.dataset.readyMs = String(Math.round(performance.now()));
  root.dataset.ready = "true";
  return api;
}
