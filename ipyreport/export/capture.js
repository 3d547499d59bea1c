// @ts-check
// Capture: pictures of what the viewer sees, for PDF handouts and video.
// `snapshot` reads the charts where they stand; `captureStart`/`captureNext`
// play the next step paused and read it frame by frame, at exact points.
import { isCover, part } from "./chrome.js";
import { redraw } from "./tracks.js";

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

/**
 * A chart's move being recorded (its control, the seconds it lasts, whether it
 * grows from nothing), and the promise of the chart being there (at rest, its
 * note placed) once it is played to its end.
 * @typedef {import("./tracks.js").Move & { on: Track, there: Promise<void>, done: boolean }} Playing
 */
/**
 * @typedef {{
 *   root: HTMLElement,
 *   store: Store,
 *   story: StoryDocument,
 *   positions: Position[],
 *   currentBoard: () => Board | undefined,
 *   begin: (target: number, recording: { paused: (on: Track) => import("./tracks.js").Paused }) => Promise<{ drawing: { on: Track, there: Promise<void> }[] }>,
 *   refused: (error: unknown) => Promise<void>,
 * }} Context
 */

/**
 * The step at `target` started as the player starts it (the same tracks, the
 * same set-up, the same drawing hooks), every chart's move paused at its
 * start; the player stands on that step.
 * @param {Pick<Context, "begin">} context
 * @param {number} target
 * @returns {Promise<Playing[]>}
 */
async function pausedAt({ begin }, target) {
  /** @type {Map<Track, Promise<import("./tracks.js").Move>>} */
  const held = new Map();
  /** @param {Track} on */
  const paused = (on) => {
    /** @type {import("./tracks.js").Paused} */
    let hand = () => {};
    held.set(on, new Promise((resolve) => (hand = resolve)));
    return /** @type {import("./tracks.js").Paused} */ ((move) => hand(move));
  };
  const { drawing } = await begin(target, { paused });
  // Each chart's move is handed over paused, or the chart is already there
  // (nothing to move, or drawn at once); a refused step rejects.
  const moves = await Promise.all(drawing.map(({ on, there }) => Promise.race([held.get(on), there.then(() => null)])));
  return drawing.flatMap(({ on, there }, i) => {
    const move = moves[i];
    return move ? [{ on, ...move, there, done: false }] : [];
  });
}

/**
 * A move at `share` of its own seconds: sought there, or once its time is
 * up, played to its end and come to rest (as the player's chart does). Its
 * chart draws the frame either way, so every frame is drawn whole.
 * @param {Playing} move
 * @param {number} share
 */
async function bring(move, share) {
  if (share < 1) move.control.seek(`${share * 100}%`);
  else if (!move.done) {
    move.done = true;
    move.control.seek("100%");
    move.control.play();
    await move.there;
  }
  redraw(move.on.chart);
}

/** @param {Context} context */
export function capturing(context) {
  const { root, store, story, positions, currentBoard, refused } = context;
  const snapshot = (options = {}) => picture(root, story.slides[positions[store.state.index].slide], currentBoard(), options);

  // Frame-accurate capture (video): start the step after the current one as
  // the player does, its moves paused, seek through them, and read the charts
  // at each of `count` + 1 evenly spaced points; the player then stands on that
  // step. On a dashboard every chart moves by the same clock; a shorter move
  // is played to its end when its time is up, so that chart comes to rest
  // (values written, shares and gaps drawn) while the others still move.
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
    const tick = longest / count;
    for (; frames.length < n && running.frame <= count; running.frame += 1) {
      const seconds = running.frame * tick;
      // A chart growing from nothing is never recorded empty: its first frame is half a frame in.
      const at = (/** @type {Playing} */ move) => (move.grows && running?.frame === 0 ? tick / 2 : seconds);
      await Promise.all(playing.map((move) => bring(move, at(move) / move.seconds)));
      frames.push(snapshot({ titled, band }));
    }
    if (running.frame > count) running = null;
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
