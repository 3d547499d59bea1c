// @ts-check
// How a story looks: the light and dark defaults, a narrow chart's type, a brand theme.

// The light and dark ink, quieter ink (axes, legends), background and plain marks: themes.py's.
// <twins:colours> written by `python -m ipyreport._twins` from themes.py; do not edit
export const INK = {"light": "#1d2430", "dark": "#e8ecf2"};
export const SOFT_INK = {"light": "#4a5568", "dark": "#b4bfcc"};
export const BACKGROUND = {"light": "#ffffff", "dark": "#14181f"};
export const PLAIN_MARKS = {"light": "#5b6b7f", "dark": "#9aa8ba"};
// </twins:colours>
// Dark: light text, and the engine's light-grey stripes, lines and guides
// turned into dark greys, so nothing glares.
export const DARK_AXIS = {
  color: "#5a6373ff",
  label: { color: SOFT_INK.dark },
  title: { color: SOFT_INK.dark },
  interlacing: { color: "#1c222bff" },
  ticks: { color: "#5a6373ff" },
  guides: { color: "#2a313dff" },
};
const LIGHT_AXIS = { label: { color: SOFT_INK.light }, title: { color: SOFT_INK.light } };
// The chart's title labels the chart under the slide's headline: smaller, set
// left like the headline, never louder than it.
const CHART_TITLE = { fontSize: "17px", fontWeight: "bold", textAlign: "left", paddingLeft: "2px" };
// Room for a legend label of a dozen letters ("Asia Pacific", "Accessories"), which
// the engine's 8.3em clipped; still at most 30% of the chart (22% when narrow).
const LEGEND_WIDTH = "11em";
export const THEMES = {
  light: {
    backgroundColor: `${BACKGROUND.light}ff`,
    title: { ...CHART_TITLE, color: INK.light },
    subtitle: { color: SOFT_INK.light },
    legend: { width: LEGEND_WIDTH, title: { color: SOFT_INK.light }, label: { color: SOFT_INK.light } },
    plot: { xAxis: LIGHT_AXIS, yAxis: LIGHT_AXIS, marker: { label: { color: INK.light } } },
  },
  dark: {
    backgroundColor: `${BACKGROUND.dark}ff`,
    // The engine's logo as quiet on the dark page as its light grey is on a white one, not
    // white, louder than the source line.
    logo: { filter: "color(#474b52ff)" },
    title: { ...CHART_TITLE, color: INK.dark },
    subtitle: { color: SOFT_INK.dark },
    legend: { width: LEGEND_WIDTH, title: { color: SOFT_INK.dark }, label: { color: SOFT_INK.dark } },
    plot: {
      xAxis: DARK_AXIS,
      yAxis: DARK_AXIS,
      // More is lighter: it stands out from the dark page as more is darker on a light one.
      marker: { label: { color: INK.dark }, guides: { color: "#2a313dff" }, minLightness: -0.4, maxLightness: 0.4 },
    },
  },
};

// A chart narrower than this (a phone, a stacked dashboard chart) keeps its
// type readable (12 px, nothing smaller) and a slimmer legend, so the marks keep most of the width.
export const NARROW_PX = 480;
const SMALLEST = "12px";
export const NARROW = {
  fontSize: SMALLEST,
  title: { fontSize: "14px" },
  legend: { maxWidth: "30%", label: { fontSize: SMALLEST }, title: { fontSize: SMALLEST } },
  plot: {
    marker: { label: { fontSize: SMALLEST } },
    xAxis: { label: { fontSize: SMALLEST }, title: { fontSize: SMALLEST } },
    yAxis: { label: { fontSize: SMALLEST }, title: { fontSize: SMALLEST } },
  },
};

/**
 * `extra` laid over `base` (Vizzu styles): an object in both is merged, anything else `extra` has wins.
 * @param {object} base
 * @param {object} extra
 * @returns {Record<string, unknown>}
 */
export function merge(base, extra) {
  /** @type {Record<string, unknown>} */
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

// A brand theme: its colours and type on the page, its font file loaded
// before the first chart draws (the engine measures text as it lays out), its logo.
/**
 * @param {HTMLElement} root
 * @param {import("./document").Brand | null | undefined} brand
 */
export async function applyBrand(root, brand) {
  if (!brand) return;
  const vars = { "--ipyreport-bg": brand.background, "--ipyreport-fg": brand.foreground, "--ipyreport-accent": brand.accent };
  for (const [name, value] of Object.entries(vars)) if (value) root.style.setProperty(name, value);
  if (brand.font) root.style.fontFamily = brand.font;
  if (brand.fontFace && brand.font) {
    const family = brand.font.split(",")[0].trim().replace(/^["']|["']$/g, "");
    const face = new FontFace(family, `url(${brand.fontFace})`);
    try {
      document.fonts.add(await face.load());
    } catch (error) {
      console.warn("ipyreport: the theme's font file could not be read; the system font is used", error);
    }
  }
  const logo = /** @type {HTMLImageElement | null} */ (root.querySelector(".ipyreport-logo"));
  if (brand.logo && logo) {
    logo.src = brand.logo;
    logo.hidden = false;
  }
}
