// @ts-check
// The story as an article the reader scrolls: its text in blocks, one per
// step, and the chart held in view beside them (behind them on a phone).
// The block that reaches the middle of the screen plays its step, forwards
// or backwards; the page scrolls as any page does (nothing is hijacked).
// A fast scroll lands on the last block's step: the player finishes a running
// animation at once and goes on. After a resize, a zoom or a rotation the
// block at the middle is looked up again. Each block keeps a picture of its
// step for printing; "Print with pictures" makes the ones not yet seen.
// A timeline is one block with a slider: the block plays the moment its
// slider is at, and moving the slider moves the chart. On a phone the chart
// is held at the top and the words scroll below it, so the line a block
// crosses to play is halfway down the part of the screen under the chart, and
// blocks stand closer than half that part apart: the block the chart shows is
// always in sight under it, never only the next block's heading.

import { part } from "./chrome.js";

/**
 * What the article asks of its player (player.js's api): go to a slide and
 * step (1-based), resolving once it rests there, and a picture of what it shows.
 * @typedef {{ goTo: (slide: number, step?: number) => Promise<unknown>, snapshot: () => string }} Player
 */

/**
 * @param {{ root: HTMLElement, api: Player }} context
 */
export function follow({ root, api }) {
  const blocks = [.../** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll(".ipyreport-block"))];
  const progress = /** @type {HTMLProgressElement} */ (part(root, ".ipyreport-article-progress"));
  /** @type {HTMLElement | null} */
  let active = null;
  let printing = false;

  const sticky = part(root, ".ipyreport-sticky");
  /** @param {Element} block */
  const slider = (block) => /** @type {HTMLInputElement | null} */ (block.querySelector(".ipyreport-scrub input"));
  /** @param {HTMLElement} block */
  const where = (block) => ({
    slide: Number(block.dataset.slide),
    step: Number(slider(block)?.value ?? block.dataset.step),
  });

  /** @param {HTMLElement | null | undefined} block */
  async function show(block) {
    if (!block || block === active || printing) return;
    active?.classList.remove("ipyreport-active");
    active = block;
    block.classList.add("ipyreport-active");
    progress.value = blocks.indexOf(block) + 1;
    await play(block);
  }

  /** @param {HTMLElement} block */
  async function play(block) {
    const { slide, step } = where(block);
    await api.goTo(slide, step); // resolves once the player rests there
    // The picture printing shows beside this block's words.
    if (active === block && where(block).step === step) keepPicture(block);
  }

  scrubbers(blocks, slider, (block) => (active === block ? play(block) : show(block)));

  /** @param {HTMLElement} block */
  function keepPicture(block) {
    const picture = /** @type {HTMLImageElement} */ (part(block, ".ipyreport-block-picture"));
    picture.src = api.snapshot();
    picture.hidden = false;
  }

  const atMiddle = () => blockAt(blocks, sticky);
  const stopWatching = watchScroll(blocks, () => show(atMiddle()));

  progress.max = blocks.length;
  // A link to a block (#3.2, or #3 for a slide's first step) opens there; otherwise the first block plays.
  const linked = ["", ".1"].map((step) => document.getElementById(decodeURIComponent(location.hash.slice(1)) + step)).find(Boolean);
  if (linked?.classList.contains("ipyreport-block")) linked.scrollIntoView();
  show(linked?.classList.contains("ipyreport-block") ? linked : atMiddle());

  // Every step's picture, then the browser's print dialog, then back to where the reader was.
  async function printWithPictures() {
    const back = active;
    printing = true;
    try {
      for (const block of blocks) {
        const { slide, step } = where(block);
        await api.goTo(slide, step);
        keepPicture(block);
      }
    } finally {
      printing = false;
    }
    window.print();
    active = null;
    await show(back ?? atMiddle());
  }
  root.querySelector(".ipyreport-print")?.addEventListener("click", printWithPictures);

  return {
    destroy: stopWatching,
    active: () => (active ? where(active) : null),
  };
}

// A timeline's slider: each position a moment, named as its step is titled;
// moving it plays that moment (`moved(block)`).
/**
 * @param {HTMLElement[]} blocks
 * @param {(block: Element) => HTMLInputElement | null} slider
 * @param {(block: HTMLElement) => unknown} moved
 */
function scrubbers(blocks, slider, moved) {
  for (const block of blocks) {
    const input = slider(block);
    if (!input) continue;
    const moments = JSON.parse(input.dataset.moments ?? "[]");
    const output = block.querySelector(".ipyreport-scrub output");
    input.addEventListener("input", () => {
      const moment = moments[Number(input.value) - Number(input.min)] ?? input.value;
      input.setAttribute("aria-valuetext", moment);
      if (output) output.textContent = moment;
      moved(block);
    });
    // The slider's arrow keys move the slider, not the story.
    input.addEventListener("keydown", (event) => event.stopPropagation());
  }
}

// The line a block crosses to play: the middle of the screen, or halfway down
// the words when the chart is held above them (the block that plays stays in
// sight until the next one reaches the line, as the gap between blocks there is
// less than half the words' part of the screen).
/** @param {HTMLElement} sticky */
function lineAcross(sticky) {
  const chart = sticky.getBoundingClientRect();
  const above = chart.left < window.innerWidth / 4 && chart.bottom < window.innerHeight * 0.75;
  return above ? chart.bottom + (window.innerHeight - chart.bottom) / 2 : window.innerHeight / 2;
}

// The block across the line (or the last one above it).
/**
 * @param {HTMLElement[]} blocks
 * @param {HTMLElement} sticky
 */
function blockAt(blocks, sticky) {
  const middle = lineAcross(sticky);
  let found = blocks[0];
  for (const block of blocks) if (block.getBoundingClientRect().top <= middle) found = block;
  return found;
}

// Calls `moved()` whenever the block at the line may have changed: a block
// crossing the middle, a resize or rotation once it settles, or a jump (End, a
// fast fling) that passes blocks without any crossing the middle, looked at once
// a frame. Returns what stops watching.
/**
 * @param {Element[]} blocks
 * @param {() => unknown} moved
 */
function watchScroll(blocks, moved) {
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) moved();
    },
    { rootMargin: "-50% 0px -50% 0px" },
  );
  for (const block of blocks) observer.observe(block);
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let settle;
  const resync = () => {
    clearTimeout(settle);
    settle = setTimeout(moved, 120);
  };
  let frame = 0;
  const onScroll = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      moved();
    });
  };
  window.addEventListener("resize", resync);
  window.addEventListener("orientationchange", resync);
  window.addEventListener("scroll", onScroll, { passive: true });
  return () => {
    observer.disconnect();
    window.removeEventListener("resize", resync);
    window.removeEventListener("orientationchange", resync);
    window.removeEventListener("scroll", onScroll);
  };
}
