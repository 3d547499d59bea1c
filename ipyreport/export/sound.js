// @ts-check
// Sound: H plays the chart with the focus (a dashboard's, or the main one) as
// tones (explore.js makes them); `tones()` says what was heard last.

/**
 * @param {{
 *   root: HTMLElement,
 *   main: object,
 *   currentBoard: () => { element: HTMLElement, tracks: object[] } | undefined,
 *   explore: { play(on: any, element: Element): unknown },
 * }} context
 */
export function sound({ root, main, currentBoard, explore }) {
  /** @type {any} the track heard last */
  let heard = null;
  return {
    hear() {
      // In a shadow root (marimo's cell outputs) the document sees only the host focused.
      const focused = /** @type {Document | ShadowRoot} */ (root.getRootNode()).activeElement;
      const panel = focused?.closest?.(".ipyreport-panel") ?? null;
      const board = currentBoard();
      const panels = board ? [...board.element.querySelectorAll(".ipyreport-panel")] : [];
      const at = Math.max(panel ? panels.indexOf(panel) : -1, 0);
      const on = board ? board.tracks[at] : main;
      const element = board ? panels[at] : root.querySelector(".ipyreport-chart");
      heard = on;
      if (element) explore.play(on, element);
    },
    /** @returns {{ label: string, value: number, frequency: number }[]} the tones H played last, in the order heard */
    tones: () => heard?.tones ?? [],
  };
}
