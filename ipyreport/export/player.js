// The ipyreport story player: plays a story's slides and steps in a Vizzu chart.
//
// Keys: → ↓ PageDown Space next · ← ↑ PageUp back · Home End · P play/pause ·
// F fullscreen · T data table · S presenter view · I how it was made · H hear
// the chart · Enter on a focused chart explores its marks (see explore.js). The URL hash (#3 or #3.2)
// follows the slide and step, and opening such a link starts there.
// Every text from the story goes in through textContent, never as markup.
//
// Ordinary slides all play on one chart, which morphs from slide to slide.
// A dashboard slide brings two to four charts of its own, laid out in a
// grid; they step together, and a click on a mark filters the other charts
// to its categories (Escape, the Clear button or a second click undoes it).
// Each chart is a "track": the entries it plays (null where it holds) and
// the state it is in, so any track can be brought to any step.
//
// This module is the controller: where the story is, the keys and buttons,
// play mode, the presenter's window, pictures for PDF and video, destroy().
// Its parts are modules of their own, imported below and bundled into one
// file at build time (hatch_build.py): tracks.js (chart engines and
// what they play), board.js (dashboards and cross-filters), tables.js (the
// numbers behind a chart), presenter.js (the presenter's window), look.js
// (themes, brand) and words.js (text made safe); ../static/steps.js turns
// steps into engine calls and draws labels in the story's formats.

import * as steps from "../static/steps.js";
import { dashboards } from "./board.js";
import { explorer } from "./explore.js";
import { BACKGROUND, INK, THEMES, NARROW, NARROW_PX, PLAIN_MARKS, merge, applyBrand } from "./look.js";
import * as presenterParts from "./presenter.js";
import { fillTables } from "./tables.js";
import { keys, location, panels, play, positionOf } from "./controllers.js";
import { createStore, enginesOnPage, register } from "./store.js";
import { animate, tracks } from "./tracks.js";
import { visibleControls } from "./words.js";

const isBoard = (slide) => slide.kind === "dashboard";
// A theme's title or closing slide: words on the page, no chart.
const isCover = (slide) => slide.kind === "cover";

function flatten(story) {
  const positions = [];
  story.slides.forEach((slide, s) => slide.steps.forEach((_, k) => positions.push({ slide: s, step: k })));
  return positions;
}

// Options: `hash` (false inside a notebook: leave the page URL alone),
// `start` ({slide, step}, 1-based, to open at), `onShown({index, slide,
// step})` as each step starts showing, `onPlaying(bool)` when play mode changes,
// `onMarkerClick({categories, values, chart})` when a mark is clicked (`chart`:
// 1-based within a dashboard, null on the main chart), `onSelection(where)` when
// the cross-filter in view changes ({dimension: category}, {} for none).
// Finish a chart's running animation at once; with none running there is
// nothing to finish, and the queued target is handled right after.
function finishNow(chart) {
  try {
    chart.animation.seek("100%");
  } catch {
    // no animation running
  }
}

/**
 * @param {{
 *   Vizzu: typeof import("vizzu").default,
 *   story: any,
 *   root: HTMLElement & { ipyreport?: any },
 *   hash?: boolean,
 *   page?: boolean,
 *   start?: { slide: number, step: number } | null,
 *   onShown?: (where: { index: number, slide: number, step: number }) => void,
 *   onPlaying?: (playing: boolean) => void,
 *   onMarkerClick?: (marker: { categories: object, values: object, chart: number | null }) => void,
 *   onSelection?: (where: object) => void,
 * }} options
 */
export async function start({
  Vizzu,
  story,
  root,
  hash = true,
  page = false,
  start = null,
  onShown,
  onPlaying,
  onMarkerClick,
  onSelection,
}) {
  const $ = (selector) => root.querySelector(selector);
  // The player's one mutable state: where it is, what runs, what is open.
  const store = createStore();
  register(store);
  // The position on screen (-1 before the first).
  const shownAt = () => store.state.index;
  // The seconds a step's transition takes (the engine's default: one).
  const seconds = (entry) => steps.durationSeconds(entry?.animation?.duration) ?? 1;
  const positions = flatten(story);
  const mainEntries = story.slides.flatMap((slide) =>
    isBoard(slide) || isCover(slide) ? slide.steps.map(() => null) : slide.steps,
  );
  const allEntries = story.slides.flatMap((slide) =>
    isCover(slide) ? [] : isBoard(slide) ? slide.steps.flatMap((frame) => frame.charts.filter(Boolean)) : slide.steps,
  );
  const datasets = Object.fromEntries(
    Object.entries(story.datasets).map(([key, data]) => [key, steps.prepareData(data, story.placeholders?.[key])]),
  );
  const raw = await steps.loadRawFilters(allEntries);
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");
  const theme = story.theme === "auto" || !story.theme ? (darkScheme.matches ? "dark" : "light") : story.theme;
  root.dataset.theme = theme;
  await applyBrand(root, story.brand);

  // The theme and the story's style go out with a chart's first step,
  // so the first frame is already the finished one.
  const baseStyle = merge(merge(THEMES[theme], steps.PLAIN_NUMBER_STYLE), story.style ?? {});
  const shown = steps.display(story);
  // Marks that mean no category, when categories own the palette's colours.
  const plainMarks = Object.keys(story.colors ?? {}).length ? PLAIN_MARKS[theme] : null;
  const { track, targetFor, apply, show, renew } = tracks({
    Vizzu,
    store,
    story,
    shown,
    datasets,
    raw,
    baseStyle,
    plainMarks,
    reducedMotion,
    ink: {
      ink: story.brand?.foreground ?? INK[theme],
      paper: story.brand?.background ?? BACKGROUND[theme],
    },
  });

  const explore = explorer({ root, store, shown });
  const { boards, boardFor, setSelection, currentBoard, boardTables, describeBoard } =
    dashboards({
      story,
      root,
      store,
      tracks: { track, targetFor, apply, show, renew },
      datasets,
      raw,
      shown,
      reducedMotion,
      explore,
      where: () => (shownAt() >= 0 ? positions[shownAt()] : null),
      onMarkerClick,
      onFiltered: (where) => announce(where),
    });
  const main = await track($(".ipyreport-chart"), mainEntries, {
    renewable: true,
    onClick: (marker) => onMarkerClick?.({ ...marker, chart: null }),
  });
  explore.attach(
    $(".ipyreport-chart"),
    () => main,
    () => story.slides[positions[shownAt()].slide].heading,
  );
  // H plays the chart with the focus (a dashboard's, or the main one) as tones.
  let heard = null;
  function hear() {
    // In a shadow root (marimo's cell outputs) the document sees only the host focused.
    const panel = /** @type {Document | ShadowRoot} */ (root.getRootNode()).activeElement?.closest?.(".ipyreport-panel");
    const board = currentBoard();
    const panels = board ? [...board.element.querySelectorAll(".ipyreport-panel")] : [];
    const on = board ? board.tracks[Math.max(panels.indexOf(panel), 0)] : main;
    const element = board ? panels[Math.max(panels.indexOf(panel), 0)] : $(".ipyreport-chart");
    heard = on;
    explore.play(on, element);
  }
  const previews = new Map(); // element -> the presenter's next-step chart there, made on first use
  let presenter = null; // the presenter's own window, while it is open

  let startedAt = null;


  // The info panel lists every number the words on screen quote: the
  // expression, what it reads, and the query over the story's data behind it.
  function traceWords(slide, step) {
    const list = $(".ipyreport-trace");
    list.replaceChildren();
    const texts = [slide.text, ...(isBoard(slide) ? step.charts.map((chart) => chart?.text) : [step.text])];
    for (const text of texts) {
      for (const parts of Object.values(text ?? {})) {
        for (const part of parts) {
          if (typeof part === "string" || part.expr.op === "caption") continue;
          const term = document.createElement("dt");
          term.textContent = `{${visibleControls(part.source)}} = ${visibleControls(part.text)}`;
          const detail = document.createElement("dd");
          for (const query of part.queries) {
            const code = document.createElement("code");
            code.textContent = visibleControls(query.sql);
            detail.append(code, document.createElement("br"));
          }
          list.append(term, detail);
        }
      }
    }
    $(".ipyreport-trace-title").hidden = !list.children.length;
  }

  function render() {
    const index = shownAt();
    const { slide: s, step: k } = positions[index];
    const slide = story.slides[s];
    const step = slide.steps[k];
    // The document names every slide (document.heading); an untitled one's heading is for screen readers only.
    $(".ipyreport-title").textContent = slide.heading;
    $(".ipyreport-title").classList.toggle("ipyreport-unseen", !slide.headingShown);
    root.dataset.cover = String(isCover(slide));
    $(".ipyreport-cover-title").textContent = isCover(slide) ? slide.title ?? "" : "";
    $(".ipyreport-cover-subtitle").textContent = isCover(slide) ? slide.subtitle ?? "" : "";
    $(".ipyreport-progress-text").textContent = `Slide ${s + 1} / ${story.slides.length}`;
    const bar = $(".ipyreport-progress");
    bar.max = positions.length;
    bar.value = index + 1;
    $(".ipyreport-alt").textContent = step.alt ?? "";
    // The chart's name says what it is and how to explore it; the alt text below it describes it.
    $(".ipyreport-chart").setAttribute(
      "aria-label",
      `${slide.heading}: ${step.alt ?? ""} Press Enter to explore its marks, H to hear them.`,
    );
    $(".ipyreport-prev").disabled = index === 0;
    $(".ipyreport-next").disabled = index === positions.length - 1;
    const board = boards.get(s);
    root.dataset.board = String(Boolean(board));
    for (const [other, { element }] of boards) element.hidden = other !== s;
    if (board) {
      board.tracks.forEach((_, c) => {
        const panel = board.element.querySelectorAll(".ipyreport-panel")[c];
        panel.setAttribute("aria-label", step.alts[c] ?? "");
      });
      fillTables($(".ipyreport-tables"), boardTables(board, step), shown, step.names);
    } else {
      fillTables($(".ipyreport-tables"), isCover(slide) ? [] : [step.table], shown);
    }
    $(".ipyreport-notes").textContent = slide.notes ?? "";
    traceWords(slide, step);
    const next = positions[index + 1];
    const nextSlide = next && story.slides[next.slide];
    $(".ipyreport-next-title").textContent = next
      ? `Next: ${nextSlide.heading}${next.slide === s ? " (next step)" : isBoard(nextSlide) ? " (dashboard)" : ""}`
      : "End of the story";
    root.dataset.slide = String(s + 1);
    root.dataset.step = String(k + 1);
    onShown?.({ index, slide: s + 1, step: k + 1 });
    if (store.state.panels.presenter) updatePreview();
    if (presenter) updatePresenter();
  }

  // The cross-filter of the dashboard in view ({} for none).
  function inView(state) {
    return state.index < 0 ? {} : state.selections[positions[state.index].slide]?.where ?? {};
  }

  // The cross-filter in view changed (a move, or a dashboard's charts filtered):
  // the page says so, and so does the host.
  function announce(where) {
    root.dataset.crossFilter = Object.keys(where).length ? JSON.stringify(where) : "";
    onSelection?.(where);
  }

  function running() {
    return [main, ...(currentBoard()?.tracks ?? [])];
  }

  // A step the engine refused: say so on that step, and start the main chart
  // again (a refused animation leaves it unusable), so the next step plays.
  async function refused(error) {
    const message = `This step could not be drawn (${error?.message ?? error}). The story goes on with the next step.`;
    store.dispatch({ type: "refused", message });
    const s = positions[shownAt()].slide;
    if (isBoard(story.slides[s])) {
      // The dashboard is made again, from its first step, on the next move to it.
      const board = boards.get(s);
      for (const on of board?.tracks ?? []) {
        try {
          on.chart.detach();
        } catch {
          // already unusable
        }
        store.dispatch({ type: "engines", by: -1 });
      }
      board?.element.remove();
      boards.delete(s);
      return;
    }
    await renew(main);
    Object.assign(main, { at: -1, filter: null, extra: null });
  }

  // Go to position `target` (0-based). The promise resolves once the player
  // rests: the target on screen, or (when the viewer asked for another place
  // meanwhile) the last place asked for.
  async function go(target) {
    if (store.state.destroyed) return;
    target = Math.max(0, Math.min(positions.length - 1, target));
    if (store.state.moving) {
      // A fast key press finishes the running animation at once, then
      // goes where the viewer asked; it never stacks up or gets stuck.
      store.dispatch({ type: "queued", target });
      for (const on of running()) finishNow(on.chart);
      return store.idle();
    }
    if (target === shownAt()) return store.idle();
    store.dispatch({ type: "moving" });
    for (let next = target; next !== null && !store.state.destroyed; next = store.state.pending) {
      if (store.state.pending !== null) store.dispatch({ type: "dequeued" });
      if (next !== shownAt()) await draw(next);
    }
    store.dispatch({ type: "rested" });
    return store.idle();
  }

  // Draw position `target`, saying so on screen if the engine refuses it.
  async function draw(target) {
    explore.stop();
    try {
      const { slide: s, step: k } = positions[target];
      const board = isBoard(story.slides[s]) ? await boardFor(s) : null;
      store.dispatch({ type: "arrived", index: target });
      if (board) {
        await Promise.all(board.tracks.map((on) => show(on, k)));
        if (board.selection) describeBoard(board);
      } else if (!isCover(story.slides[s])) await show(main, target);
    } catch (error) {
      if (store.state.destroyed) return; // its view closed while it drew: nobody to tell
      console.error("ipyreport: could not show this step", error);
      await refused(error);
    }
  }

  // The next step, drawn by a chart of its own in `element` (the presenter
  // panel's, or an off-screen one whose picture goes to the presenter window).
  async function updatePreview(element = $(".ipyreport-preview")) {
    const target = Math.min(shownAt() + 1, positions.length - 1);
    // A dashboard's charts are too small to preview; the next-step title names it.
    element.dataset.board = String(isBoard(story.slides[positions[target].slide]));
    if (element.dataset.board === "true") return;
    if (!previews.has(element)) previews.set(element, { on: await track(element, mainEntries, { renewable: true }), busy: false });
    const preview = previews.get(element);
    if (preview.busy) return;
    preview.busy = true;
    try {
      await show(preview.on, target, { instant: true });
    } catch (error) {
      console.error("ipyreport: could not draw the preview", error);
    } finally {
      preview.busy = false;
    }
  }

  // --- the presenter's window ----------------------------------------------
  // Opened by S from an exported file, as presentation tools do: notes, timer,
  // the next step and Back/Next in a second window, while the audience sees
  // the story alone. It is built and driven from here (no script of its own,
  // nothing fetched), and it follows this window and steers it, both ways.

  function openPresenter() {
    const win = window.open("", "ipyreport-presenter", "popup,width=1000,height=640");
    if (!win) return false;
    const view = presenterParts.furnish(win, story, { back, forward, onKey: keyboard.onKey });
    win.addEventListener("pagehide", () => {
      if (presenter?.win === win) closePresenter();
    });
    // Drawn here, off-screen, at a fixed size; its picture is copied over.
    view.host = document.createElement("div");
    view.host.className = "ipyreport-offscreen";
    root.append(view.host);
    presenter = view;
    updatePresenter();
    return true;
  }

  function closePresenter() {
    const view = presenter;
    presenter = null;
    $(".ipyreport-presenter-toggle").setAttribute("aria-pressed", "false");
    if (view && !view.win.closed) view.win.close();
  }

  async function updatePresenter() {
    const view = presenter;
    if (!view || view.win.closed) return;
    const index = shownAt();
    const { slide: s, step: k } = positions[index];
    const slide = story.slides[s];
    view.where.textContent = `Slide ${s + 1} of ${story.slides.length}, step ${k + 1} of ${slide.steps.length}`;
    view.title.textContent = slide.heading;
    view.notes.textContent = slide.notes ?? "No notes for this slide.";
    view.next.textContent = $(".ipyreport-next-title").textContent;
    view.back.disabled = index === 0;
    view.forward.disabled = index === positions.length - 1;
    await updatePreview(view.host);
    const drawn = view.host.querySelector("canvas");
    // A dashboard next is named, not pictured (its charts would be too small).
    view.picture.hidden = view.host.dataset.board === "true";
    if (presenter !== view || !drawn || view.picture.hidden) return;
    view.picture.width = drawn.width;
    view.picture.height = drawn.height;
    view.picture.getContext("2d").drawImage(drawn, 0, 0);
  }

  // S: in an exported file, the presenter's own window (the panel beside the
  // chart if the browser refuses a window); in a notebook, the panel.
  function togglePresenter() {
    if (presenter) return closePresenter();
    if (page && !store.state.panels.presenter) {
      startedAt ??= Date.now();
      if (openPresenter()) {
        $(".ipyreport-presenter-toggle").setAttribute("aria-pressed", "true");
        return;
      }
    }
    store.dispatch({ type: "panel", panel: "presenter", open: !store.state.panels.presenter });
    if (store.state.panels.presenter) {
      startedAt ??= Date.now();
      updatePreview();
    }
  }

  const clock = setInterval(() => {
    if (startedAt === null) return;
    const seconds = Math.floor((Date.now() - startedAt) / 1000);
    const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    $(".ipyreport-timer").textContent = text;
    if (presenter && !presenter.win.closed) presenter.timer.textContent = text;
  }, 500);

  // Relative moves count from where the viewer is heading, so three quick
  // presses move three steps even while an animation runs.
  const here = () => store.state.pending ?? shownAt();
  const forward = () => go(here() + 1);
  const back = () => go(here() - 1);
  const keyboard = keys({
    root,
    page,
    store,
    positions,
    commands: {
      go,
      forward,
      back,
      // A refused request (from the presenter's window, say) changes nothing.
      fullscreen: () => (document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen?.())?.catch?.(() => {}),
      presenter: () => togglePresenter(),
      hear: () => hear(),
      stopExploring: () => explore.stop(),
      filtered: () => Boolean(currentBoard()?.selection),
      clearFilter: () => setSelection(currentBoard(), null),
    },
  });
  // Each controller does one job; the store tells them all what changed.
  const controllers = [
    keyboard,
    panels({ root, store }),
    play({ root, store, story, positions, go, onPlaying }),
    ...(hash ? [location({ story, positions, go })] : []),
  ];
  // What the player shows of its state, rendered from it as it changes.
  store.subscribe((state, previous) => {
    if (state.index !== previous.index) render();
    if (state.error !== previous.error) {
      $(".ipyreport-error").hidden = state.error === null;
      if (state.error === null) delete root.dataset.error;
      else {
        $(".ipyreport-error").textContent = state.error;
        root.dataset.error = state.error;
      }
    }
    // After the position: a notebook checks a selection against the slide it is on.
    const where = inView(state);
    if (state.index !== previous.index && JSON.stringify(where) !== JSON.stringify(inView(previous))) announce(where);
    for (const controller of controllers) controller.update?.(state, previous);
  });
  $(".ipyreport-prev").addEventListener("click", back);
  $(".ipyreport-next").addEventListener("click", forward);
  $(".ipyreport-presenter-toggle").addEventListener("click", () => togglePresenter());
  $(".ipyreport-provenance").textContent = story.provenance
    ? visibleControls(JSON.stringify(story.provenance, null, 2))
    : "Built with the ipyreport Python API (no spec file).";

  // What the viewer sees of the charts, as a PNG data URL the size of the
  // main chart's canvas: that canvas, or a dashboard's charts where they
  // stand. `titled` adds a band above with the slide's title (video frames),
  // `band` pixels high (a tenth of the chart's height unless given).
  function snapshot({ titled = false, band: high = 0 } = {}) {
    /** @type {HTMLCanvasElement} */
    const base = root.querySelector(".ipyreport-chart canvas");
    const board = currentBoard();
    const notes = /** @type {HTMLElement[]} */ ([...(board ? board.element : root.querySelector(".ipyreport-chart")).querySelectorAll(".ipyreport-note")]).filter(
      (note) => !note.hidden && note.dataset.shown === "true",
    );
    const cover = isCover(story.slides[positions[shownAt()].slide]);
    if (!board && !titled && !notes.length && !cover) return base.toDataURL("image/png");
    const band = titled ? high || Math.round(base.height * 0.1) : 0;
    const picture = document.createElement("canvas");
    picture.width = base.width;
    picture.height = base.height + band;
    const context = picture.getContext("2d");
    const style = getComputedStyle(root);
    context.fillStyle = style.backgroundColor;
    context.fillRect(0, 0, picture.width, picture.height);
    if (titled) {
      const { slide: s } = positions[shownAt()];
      const title = story.slides[s].headingShown ? story.slides[s].heading : "";
      context.fillStyle = style.color;
      context.font = `bold ${Math.round(band * 0.45)}px ${style.fontFamily}`;
      context.textBaseline = "middle";
      context.fillText(title, Math.round(band * 0.4), band / 2, picture.width - band * 0.8);
    }
    const frame = base.getBoundingClientRect();
    const scale = base.width / frame.width;
    if (cover) {
      // The cover's words where the page shows them.
      for (const element of [$(".ipyreport-cover-title"), $(".ipyreport-cover-subtitle")]) {
        const box = element.getBoundingClientRect();
        const look = getComputedStyle(element);
        context.fillStyle = look.color;
        context.font = `${look.fontWeight} ${parseFloat(look.fontSize) * scale}px ${look.fontFamily}`;
        context.textBaseline = "top";
        context.fillText(element.textContent, (box.left - frame.left) * scale, (box.top - frame.top) * scale + band, picture.width * 0.84);
      }
      return picture.toDataURL("image/png");
    }
    const canvases = board ? board.element.querySelectorAll("canvas") : [base];
    for (const canvas of canvases) {
      const box = canvas.getBoundingClientRect();
      const [x, y] = [(box.left - frame.left) * scale, (box.top - frame.top) * scale + band];
      context.drawImage(canvas, x, y, box.width * scale, box.height * scale);
    }
    // A highlight's note, as the viewer sees it over the chart.
    for (const note of notes) {
      const box = note.getBoundingClientRect();
      const look = getComputedStyle(note);
      const [x, y] = [(box.left - frame.left) * scale, (box.top - frame.top) * scale + band];
      context.fillStyle = look.backgroundColor;
      context.strokeStyle = look.borderTopColor;
      context.fillRect(x, y, box.width * scale, box.height * scale);
      context.strokeRect(x, y, box.width * scale, box.height * scale);
      context.fillStyle = look.borderLeftColor;
      context.fillRect(x, y, 4 * scale, box.height * scale);
      context.fillStyle = look.color;
      const size = parseFloat(look.fontSize) * scale;
      context.font = `${size}px ${look.fontFamily}`;
      context.textBaseline = "top";
      // Wrapped as the page wraps it: as many words per line as fit.
      const room = (box.width - 20) * scale;
      const lines = [];
      for (const word of note.textContent.split(/\s+/)) {
        const longer = lines.length ? `${lines.at(-1)} ${word}` : word;
        if (lines.length && context.measureText(longer).width <= room) lines[lines.length - 1] = longer;
        else lines.push(word);
      }
      const lineHeight = size * 1.3;
      const top = y + (box.height * scale - lineHeight * lines.length) / 2;
      lines.forEach((line, i) => context.fillText(line, x + 12 * scale, top + i * lineHeight + size * 0.15));
    }
    return picture.toDataURL("image/png");
  }

  // Frame-accurate capture (video): play the step after the current one
  // paused, seek through it, and read the charts at each of `count` + 1
  // evenly spaced points; the player then stands on that step. On a
  // dashboard every chart moves by the same clock; a shorter one rests at its end.
  //
  // `captureStart` begins it and `captureNext(n)` reads the next `n` frames
  // (none once all are read), so a long step streams to the recorder a few
  // frames at a time; `capture` reads them all at once.
  /** @type {null | { playing: any[], longest: number, count: number, frame: number, titled: boolean, band: number }} */
  let capturing = null;
  async function captureStart(count, { titled = false, band = 0 } = {}) {
    const target = shownAt() + 1;
    const { slide: s, step: k } = positions[target];
    const board = isBoard(story.slides[s]) ? await boardFor(s) : null;
    const tracks = isCover(story.slides[s]) ? [] : board ? board.tracks.filter((on) => on.entries[k]) : [main];
    const at = board ? k : target;
    store.dispatch({ type: "arrived", index: target });
    const playing = [];
    try {
      for (const on of tracks) {
        const entry = on.entries[at];
        on.at = at;
        const next = targetFor(on, entry);
        const animation = animate(on.chart, next.target, { ...next.options, playState: "paused" });
        // A refused step rejects the animation and is never activated: race the two.
        const control = await Promise.race([animation.activated, animation.then(() => null)]);
        playing.push({ on, animation, control, seconds: seconds(entry) });
      }
    } catch (error) {
      await refused(error);
      return { error: store.state.error };
    }
    const longest = Math.max(1e-9, ...playing.map((item) => item.seconds));
    capturing = { playing, longest, count, frame: 0, titled, band };
    return { frames: count + 1 };
  }

  async function captureNext(n) {
    if (!capturing) return [];
    const { playing, longest, count, titled, band } = capturing;
    const frames = [];
    for (; frames.length < n && capturing.frame <= count; capturing.frame += 1) {
      for (const { on, control, seconds: own } of playing) {
        control.seek(`${Math.min(100, ((capturing.frame / count) * longest * 100) / own)}%`);
        on.chart.feature.rendering.update();
      }
      frames.push(snapshot({ titled, band }));
    }
    if (capturing.frame > count) {
      capturing = null;
      for (const { control, animation } of playing) {
        control.play();
        await animation;
      }
    }
    return frames;
  }

  async function capture(count, options = {}) {
    const started = await captureStart(count, options);
    if ("error" in started) return started;
    const frames = [];
    for (let next = await captureNext(64); next.length; next = await captureNext(64)) frames.push(...next);
    return frames;
  }

  // Stop everything this player started: timers, listeners outside its own
  // element, the presenter's window, and every chart engine it made. A
  // notebook calls it when a view of the story goes away.
  function destroy() {
    if (store.state.destroyed) return;
    store.dispatch({ type: "destroyed" });
    clearInterval(clock);
    for (const controller of controllers) controller.destroy?.();
    explore.destroy();
    closePresenter();
    const charts = [main.chart, ...[...boards.values()].flatMap((board) => board.tracks.map((on) => on.chart))];
    charts.push(...[...previews.values()].map((preview) => preview.on.chart));
    for (const chart of charts) {
      try {
        chart.detach();
      } catch {
        // already detached (a refused step replaced it)
      }
    }
    store.dispatch({ type: "engines", by: -charts.length });
    boards.clear();
    previews.clear();
    if (root.ipyreport === api) delete root.ipyreport;
  }

  const api = {
    destroy,
    go,
    capture,
    captureStart,
    captureNext,
    snapshot,
    // The labels each chart in view drew in its last frame: [{group, box, text}] per chart.
    labels: () => running().map((on) => on.drawnLabels),
    // The tones H played last: [{label, value, frequency}] in the order heard.
    tones: () => heard?.tones ?? [],
    // The main chart's style as the engine resolved it (its colours, for contrast checks).
    style: () => main.chart.getComputedStyle(),
    // Each running chart's title as the engine holds it now.
    titles: () => running().map((on) => on.chart.config?.title ?? null),
    // 1-based slide and step, as the URL hash and the notebook widget count.
    goTo: (slide, step = 1) => {
      const found = positions.findIndex((p) => p.slide === slide - 1 && p.step === step - 1);
      return found < 0 ? Promise.resolve() : go(found);
    },
    // Play mode on or off (`force`), or the other way round.
    togglePlay: (force) => store.dispatch({ type: "played", playing: force ?? !store.state.playing }),
    // Filter the dashboard in view to {dimension: category} ({} or null: show everything).
    select: (where) => {
      const board = currentBoard();
      if (!board) return Promise.resolve();
      const wanted = where && Object.keys(where).length ? { from: -1, where: { ...where } } : null;
      if (JSON.stringify(wanted?.where ?? null) === JSON.stringify(board.selection?.where ?? null)) return Promise.resolve();
      return setSelection(board, wanted);
    },
    next: forward,
    previous: back,
    get index() {
      return shownAt();
    },
    // The player's state (read only; see store.js), and changes to it as they happen.
    get state() {
      return store.state;
    },
    subscribe: store.subscribe,
    // Resolves once the player rests: no step being drawn, none asked for, no cross-filter running.
    idle: store.idle,
    // Chart engines made by the players on this page and not yet let go of.
    get live() {
      return { charts: enginesOnPage() };
    },
  };
  root.ipyreport = api;
  const opening = start ? positions.findIndex((p) => p.slide === start.slide - 1 && p.step === start.step - 1) : -1;
  await go(opening >= 0 ? opening : hash ? positionOf(story, positions, window.location.hash) : 0);
  // Milliseconds from navigation to the first drawn step (for benchmarks).
  root.dataset.readyMs = String(Math.round(performance.now()));
  root.dataset.ready = "true";
  if (page) root.focus({ preventScroll: true });
  return api;
}
