// @ts-check
// Capture: pictures of what the viewer sees, for PDF handouts and video.
// `snapshot` reads the charts where they stand; `captureStart`/`captureNext`
// play the next step paused and read it frame by frame, at exact points.
import * as steps from "../static/steps.js";
import { isBoard, isCover, part } from "./chrome.js";
import { animate, redraw } from "./tracks.js";

/** @typedef {import("./controllers.js").Position} Position */
/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./document").StoryDocument} StoryDocument */
/** @typedef {import("./tracks.js").Track} Track */
/** @typedef {{ element: HTMLElement, tracks: Track[] }} Board */

/**
 * The cover's words where the page shows them.
 * @param {CanvasRenderingContext2D} context
 * @param {HTMLElement[]} elements
 * @param {{ frame: DOMRect, scale: number, band: number, width: number }} at
 */
function drawWords(context, elements, { frame, scale, band, width }) {
  for (const element of elements) {
    const box = element.getBoundingClientRect();
    const look = getComputedStyle(element);
    context.fillStyle = look.color;
    context.font = `${look.fontWeight} ${parseFloat(look.fontSize) * scale}px ${look.fontFamily}`;
    context.textBaseline = "top";
    context.fillText(element.textContent ?? "", (box.left - frame.left) * scale, (box.top - frame.top) * scale + band, width * 0.84);
  }
}

/**
 * A highlight's note, as the viewer sees it over the chart: its box, its bar,
 * its words wrapped as the page wraps them (as many words per line as fit).
 * @param {CanvasRenderingContext2D} context
 * @param {HTMLElement} note
 * @param {{ frame: DOMRect, scale: number, band: number }} at
 */
function drawNote(context, note, { frame, scale, band }) {
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
  const room = (box.width - 20) * scale;
  /** @type {string[]} */
  const lines = [];
  for (const word of (note.textContent ?? "").split(/\s+/)) {
    const longer = lines.length ? `${lines.at(-1)} ${word}` : word;
    if (lines.length && context.measureText(longer).width <= room) lines[lines.length - 1] = longer;
    else lines.push(word);
  }
  const lineHeight = size * 1.3;
  const top = y + (box.height * scale - lineHeight * lines.length) / 2;
  lines.forEach((line, i) => context.fillText(line, x + 12 * scale, top + i * lineHeight + size * 0.15));
}

/**
 * What the viewer sees of the charts, as a PNG data URL the size of the
 * main chart's canvas: that canvas, or a dashboard's charts where they
 * stand. `titled` adds a band above with the slide's title (video frames),
 * `band` pixels high (a tenth of the chart's height unless given).
 * @param {HTMLElement} root
 * @param {StoryDocument["slides"][number]} slide
 * @param {Board | undefined} board
 * @param {{ titled?: boolean, band?: number }} options
 */
export function picture(root, slide, board, { titled = false, band: high = 0 }) {
  const base = /** @type {HTMLCanvasElement} */ (part(root, ".ipyreport-chart canvas"));
  const notes = [...(board ? board.element : part(root, ".ipyreport-chart")).querySelectorAll(".ipyreport-note")].filter(
    (note) => note instanceof HTMLElement && !note.hidden && note.dataset.shown === "true",
  );
  const cover = isCover(slide);
  if (!board && !titled && !notes.length && !cover) return base.toDataURL("image/png");
  const band = titled ? high || Math.round(base.height * 0.1) : 0;
  const canvas = document.createElement("canvas");
  canvas.width = base.width;
  canvas.height = base.height + band;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const style = getComputedStyle(root);
  context.fillStyle = style.backgroundColor;
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (titled) {
    context.fillStyle = style.color;
    context.font = `bold ${Math.round(band * 0.45)}px ${style.fontFamily}`;
    context.textBaseline = "middle";
    context.fillText(slide.headingShown ? slide.heading : "", Math.round(band * 0.4), band / 2, canvas.width - band * 0.8);
  }
  const frame = base.getBoundingClientRect();
  const at = { frame, scale: base.width / frame.width, band, width: canvas.width };
  if (cover) {
    drawWords(context, [part(root, ".ipyreport-cover-title"), part(root, ".ipyreport-cover-subtitle")], at);
    return canvas.toDataURL("image/png");
  }
  for (const drawn of board ? board.element.querySelectorAll("canvas") : [base]) {
    const box = drawn.getBoundingClientRect();
    const [x, y] = [(box.left - frame.left) * at.scale, (box.top - frame.top) * at.scale + band];
    context.drawImage(drawn, x, y, box.width * at.scale, box.height * at.scale);
  }
  for (const note of notes) drawNote(context, /** @type {HTMLElement} */ (note), at);
  return canvas.toDataURL("image/png");
}

/** @typedef {{ on: Track, animation: any, control: any, seconds: number }} Playing */
/**
 * @typedef {{
 *   root: HTMLElement,
 *   store: Store,
 *   story: StoryDocument,
 *   positions: Position[],
 *   main: Track,
 *   currentBoard: () => Board | undefined,
 *   boardFor: (slide: number) => Promise<Board>,
 *   targetFor: (on: Track, entry: import("./document").Step) => import("./tracks.js").Next,
 *   keyframesOf: (next: import("./tracks.js").Next) => import("vizzu").Anim.Keyframes | null,
 *   refused: (error: unknown) => Promise<void>,
 * }} Context
 */

/**
 * The step at `target` started paused on every chart it moves, the player standing on it.
 * @param {Pick<Context, "store" | "story" | "positions" | "main" | "boardFor" | "targetFor" | "keyframesOf">} context
 * @param {number} target
 */
async function pausedAt({ store, story, positions, main, boardFor, targetFor, keyframesOf }, target) {
  const { slide: s, step: k } = positions[target];
  const board = isBoard(story.slides[s]) ? await boardFor(s) : null;
  const tracks = isCover(story.slides[s]) ? [] : board ? board.tracks.filter((on) => on.entries[k]) : [main];
  const at = board ? k : target;
  store.dispatch({ type: "arrived", index: target });
  /** @type {Playing[]} */
  const playing = [];
  for (const on of tracks) {
    const entry = on.entries[at];
    if (!entry) continue; // nothing to play (the tracks kept above all have a step here)
    on.at = at;
    const next = targetFor(on, entry);
    const staged = keyframesOf(next);
    const animation = staged ? animate(on.chart, staged, { playState: "paused" }) : animate(on.chart, next.target, { ...next.options, playState: "paused" });
    // A refused step rejects the animation and is never activated: race the two.
    const control = await Promise.race([animation.activated, animation.then(() => null)]);
    // The seconds a step's transition takes (the engine's default: one).
    playing.push({ on, animation, control, seconds: steps.durationSeconds(entry?.animation?.duration) ?? 1 });
  }
  return playing;
}

/** @param {Context} context */
export function capturing(context) {
  const { root, store, story, positions, currentBoard, refused } = context;
  const snapshot = (options = {}) => picture(root, story.slides[positions[store.state.index].slide], currentBoard(), options);

  // Frame-accurate capture (video): play the step after the current one
  // paused, seek through it, and read the charts at each of `count` + 1
  // evenly spaced points; the player then stands on that step. On a
  // dashboard every chart moves by the same clock; a shorter one rests at its end.
  //
  // `captureStart` begins it and `captureNext(n)` reads the next `n` frames
  // (none once all are read), so a long step streams to the recorder a few
  // frames at a time; `capture` reads them all at once.
  /** @type {null | { playing: Playing[], longest: number, count: number, frame: number, titled: boolean, band: number }} */
  let running = null;

  /**
   * @param {number} count
   * @param {{ titled?: boolean, band?: number }} [options]
   */
  async function captureStart(count, { titled = false, band = 0 } = {}) {
    let playing;
    try {
      playing = await pausedAt(context, store.state.index + 1);
    } catch (error) {
      await refused(error);
      return { error: store.state.error };
    }
    const longest = Math.max(1e-9, ...playing.map((item) => item.seconds));
    running = { playing, longest, count, frame: 0, titled, band };
    return { frames: count + 1 };
  }

  /** @param {number} n */
  async function captureNext(n) {
    if (!running) return [];
    const { playing, longest, count, titled, band } = running;
    const frames = [];
    for (; frames.length < n && running.frame <= count; running.frame += 1) {
      for (const { on, control, seconds: own } of playing) {
        control.seek(`${Math.min(100, ((running.frame / count) * longest * 100) / own)}%`);
        redraw(on.chart);
      }
      frames.push(snapshot({ titled, band }));
    }
    if (running.frame > count) {
      running = null;
      for (const { control, animation } of playing) {
        control.play();
        await animation;
      }
    }
    return frames;
  }

  /**
   * @param {number} count
   * @param {{ titled?: boolean, band?: number }} [options]
   */
  async function capture(count, options = {}) {
    const started = await captureStart(count, options);
    if ("error" in started) return started;
    const frames = [];
    for (let next = await captureNext(64); next.length; next = await captureNext(64)) frames.push(...next);
    return frames;
  }

  return { snapshot, captureStart, captureNext, capture };
}
