// The story as an article the reader scrolls: its text in blocks, one per
// step, and the chart held in view beside them (behind them on a phone).
// The block that reaches the middle of the screen plays its step, forwards
// or backwards; the page scrolls as any page does (nothing is hijacked).
// A fast scroll lands on the last block's step: the player finishes a running
// animation at once and goes on. After a resize, a zoom or a rotation the
// block at the middle is looked up again. Each block keeps a picture of its
// step for printing; "Print with pictures" makes the ones not yet seen.

/**
 * @param {{ root: HTMLElement, api: any }} context
 */
export function follow({ root, api }) {
  const blocks = [...root.querySelectorAll(".ipyreport-block")];
  /** @type {HTMLProgressElement} */
  const progress = root.querySelector(".ipyreport-article-progress");
  let active = null;
  let printing = false;

  const where = (block) => ({ slide: Number(block.dataset.slide), step: Number(block.dataset.step) });

  async function show(block) {
    if (!block || block === active || printing) return;
    active?.classList.remove("ipyreport-active");
    active = block;
    block.classList.add("ipyreport-active");
    progress.value = blocks.indexOf(block) + 1;
    const { slide, step } = where(block);
    await api.goTo(slide, step); // resolves once the player rests there
    // The picture printing shows beside this block's words.
    if (active === block) keepPicture(block);
  }

  function keepPicture(block) {
    /** @type {HTMLImageElement} */
    const picture = block.querySelector(".ipyreport-block-picture");
    picture.src = api.snapshot();
    picture.hidden = false;
  }

  // The block across the middle of the screen (or the last one above it).
  function atMiddle() {
    const middle = window.innerHeight / 2;
    let found = blocks[0];
    for (const block of blocks) if (block.getBoundingClientRect().top <= middle) found = block;
    return found;
  }

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) if (entry.isIntersecting) show(entry.target);
    },
    { rootMargin: "-50% 0px -50% 0px" },
  );
  for (const block of blocks) observer.observe(block);
  let settle = null;
  const resync = () => {
    clearTimeout(settle);
    settle = setTimeout(() => show(atMiddle()), 120);
  };
  window.addEventListener("resize", resync);
  window.addEventListener("orientationchange", resync);
  // A jump (End, a fast fling) can pass blocks without any crossing the middle:
  // once a frame, the block at the middle is the one shown.
  let frame = 0;
  const onScroll = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      show(atMiddle());
    });
  };
  window.addEventListener("scroll", onScroll, { passive: true });

  progress.max = blocks.length;
  // A link to a block (#3.2) opens there; otherwise the first block plays.
  const linked = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
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
    destroy: () => {
      observer.disconnect();
      window.removeEventListener("resize", resync);
      window.removeEventListener("orientationchange", resync);
      window.removeEventListener("scroll", onScroll);
    },
    active: () => (active ? where(active) : null),
  };
}
