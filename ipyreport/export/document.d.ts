/* The story document (Story.to_json()), as TypeScript types.
 * Generated from ipyreport/schema/story-document.schema.json by
 * scripts/document-types.mjs (./dev types); do not edit by hand. */

export type Hold = number;
export type Text = string | null;
export type BoundText = (string | Expression)[];
/**
 * which rows a step shows; categories are named by their labels
 */
export type Filter =
  | {
      in: {
        column: string;
        values: string[];
      };
    }
  | {
      range: {
        column: string;
        min: number | null;
        max: number | null;
      };
    }
  | {
      not: Filter;
    }
  | {
      and: Filter[];
    }
  | {
      or: Filter[];
    }
  | {
      /**
       * the author's own JavaScript record filter
       */
      raw: string;
    };

/**
 * The one JSON every ipyreport output renders (Story.to_json()).
 */
export interface StoryDocument {
  title: string | null;
  lang: string;
  /**
   * a Vizzu style for the whole story
   */
  style: {
    [k: string]: unknown;
  } | null;
  theme: "auto" | "light" | "dark";
  tooltips: boolean;
  loop: boolean;
  hold: Hold;
  /**
   * seconds play mode rests on each step once its transition has played, in playing order: the step's hold, else its slide's, else the story's
   */
  rests: Hold[];
  /**
   * the caption words of the story's language (ipyreport/words/<lang>.json), which the player's own sentences read
   */
  words: {
    [k: string]: unknown;
  };
  /**
   * how the story was made (null: by the Python API, not from a spec)
   */
  provenance: Provenance | null;
  /**
   * each measure's number format, resolved for the story's language
   */
  formats: {
    [k: string]: NumberFormat;
  };
  /**
   * per dimension that colours marks, each category's colour for the whole story
   */
  colors: {
    [k: string]: {
      [k: string]: string;
    };
  };
  /**
   * the story's theme, its files embedded as data: URLs
   */
  brand: Brand | null;
  plainFormat: NumberFormat;
  /**
   * per date column, how each category label reads (a date at its precision)
   */
  labels: {
    [k: string]: {
      [k: string]: string;
    };
  };
  /**
   * per column or aggregate ("mean(lifeExp)"), the name the audience reads where it differs from the column's own: axis and legend titles, table headers, text, tooltips
   */
  names?: {
    [k: string]: string;
  };
  slides: (Slide | Dashboard | Cover)[];
  /**
   * per dataset, the first row a timeline added to fill a gap
   */
  placeholders: {
    [k: string]: number;
  };
  datasets: {
    [k: string]: Data;
  };
}
/**
 * how a story built from a spec was made: the spec resolved, its parameters and overrides, the data's fingerprint, the versions and the build time
 */
export interface Provenance {
  /**
   * the spec file's name
   */
  spec: string;
  /**
   * the spec, relative to the output's folder (written by ipyreport build; --check-fresh reads the data from there)
   */
  specPath?: string;
  /**
   * the spec as built: defaults merged, overrides applied, parameters resolved (SQL keeps its ${params.NAME}, bound at run time)
   */
  resolved: {
    [k: string]: unknown;
  };
  parameters: {
    [k: string]: string | number | boolean;
  };
  /**
   * the --set assignments given
   */
  overrides: string[];
  data: {
    /**
     * rows the story holds
     */
    rows: number;
    /**
     * hash of the data the story holds
     */
    sha256: string;
    source: DataFingerprint;
  };
  versions: {
    [k: string]: string;
  };
  /**
   * UTC; SOURCE_DATE_EPOCH when set
   */
  built: string;
}
/**
 * what stands for the source's content: its spec fields, the files read, the SQL run and its bound parameters (a lake table: the version or snapshot read)
 */
export interface DataFingerprint {
  kind: string;
  sql?: string;
  parameters?: {
    [k: string]: unknown;
  };
  files?: {
    /**
     * relative to the spec's folder
     */
    path: string;
    size: number;
    sha256?: string;
    /**
     * when the source is too large to hash
     */
    mtime?: string;
  }[];
  [k: string]: unknown;
}
/**
 * how a measure's numbers read: prefix, the number (in the largest scale it reaches, or always the one scale), suffix
 */
export interface NumberFormat {
  prefix: string;
  suffix: string;
  /**
   * decimals of a scaled number
   */
  decimals: number;
  /**
   * decimals of an unscaled number (null: none for whole numbers, two otherwise)
   */
  fixed: number | null;
  /**
   * factor and word, smallest first
   */
  scales: [unknown, unknown][];
  always: boolean;
  group: string;
  point: string;
  /**
   * the numbers are base-10 logarithms: each reads as 10 to its power
   */
  log?: boolean;
}
export interface Brand {
  name: string;
  base: "auto" | "light" | "dark";
  palette: string[];
  font: string | null;
  fontFace: string | null;
  background: string | null;
  foreground: string | null;
  accent: string | null;
  logo: string | null;
  titleSlide: CoverText | null;
  closingSlide: CoverText | null;
}
export interface CoverText {
  title: string;
  subtitle: string | null;
}
export interface Slide {
  title: Text;
  /**
   * a sentence under the headline, in lighter type
   */
  dek?: string;
  /**
   * the line under the chart naming where the data comes from, as shown ('Source: ...'): the slide's source, else the story's
   */
  source?: string;
  notes: Text;
  alt: Text;
  hold?: Hold;
  /**
   * the words naming the slide wherever it is named: its title, else the story's, else 'Slide N'
   */
  heading: string;
  /**
   * whether a page shows the heading (else screen readers only)
   */
  headingShown: boolean;
  text?: BoundTexts;
  /**
   * @minItems 1
   */
  steps: [DescribedStep, ...DescribedStep[]];
}
/**
 * the texts written as templates, by field (title, subtitle, dek, caption, notes, note, alt): their literal pieces and computed expressions
 */
export interface BoundTexts {
  title?: BoundText;
  subtitle?: BoundText;
  dek?: BoundText;
  caption?: BoundText;
  notes?: BoundText;
  note?: BoundText;
  alt?: BoundText;
}
/**
 * one {expression}: its source, its tree (what a player re-evaluates), how it reads, its value and the queries that produced it
 */
export interface Expression {
  source: string;
  expr: {
    [k: string]: unknown;
  };
  /**
   * {number, scale, signed, exact} for numbers (exact: drop the zeros an exact number does not need), {category} for categories, {} for captions
   */
  format: {
    [k: string]: unknown;
  };
  value: number | string | null;
  text: string;
  queries: {
    /**
     * DuckDB SQL over the story's data, named data
     */
    sql: string;
    rows: unknown[];
  }[];
}
export interface DescribedStep {
  config: Config;
  style?: Style;
  /**
   * absent: keep the chart's filter; null: every row
   */
  filter?: Filter | null;
  animation?: Animation;
  /**
   * the step sets the whole chart state
   */
  complete?: true;
  /**
   * the dataset drawn, when not main
   */
  data?: string;
  hold?: Hold;
  highlight?: Highlight;
  /**
   * value labels only at the last point of each series (a line's name at its end)
   */
  ends?: true;
  text?: BoundTexts;
  /**
   * the text alternative
   */
  alt: string;
  table: Table | null;
}
/**
 * a Vizzu config
 */
export interface Config {
  [k: string]: unknown;
}
export interface Style {
  [k: string]: unknown;
}
/**
 * Vizzu animation options
 */
export interface Animation {
  [k: string]: unknown;
}
/**
 * marks the step points at (the rest dim) and a note shown beside them
 */
export interface Highlight {
  filter: Filter;
  note: string | null;
}
export interface Table {
  columns: string[];
  /**
   * @maxItems 100
   */
  rows: (string | number | null)[][];
  total: number;
  measures: number;
}
export interface Dashboard {
  title: Text;
  /**
   * a sentence under the headline, in lighter type
   */
  dek?: string;
  /**
   * the line under the chart naming where the data comes from, as shown ('Source: ...'): the slide's source, else the story's
   */
  source?: string;
  notes: Text;
  alt: Text;
  hold?: Hold;
  /**
   * the words naming the slide wherever it is named: its title, else the story's, else 'Slide N'
   */
  heading: string;
  /**
   * whether a page shows the heading (else screen readers only)
   */
  headingShown: boolean;
  text?: BoundTexts;
  kind: "dashboard";
  columns: number;
  crossFilter: string[];
  /**
   * @minItems 1
   */
  steps: [Frame, ...Frame[]];
}
export interface Frame {
  /**
   * @minItems 2
   * @maxItems 4
   */
  charts:
    | [Step | null, Step | null]
    | [Step | null, Step | null, Step | null]
    | [Step | null, Step | null, Step | null, Step | null];
  alts: string[];
  tables: (Table | null)[];
  names: string[];
  shows: string[][];
  alt: string;
}
export interface Step {
  config: Config;
  style?: Style;
  /**
   * absent: keep the chart's filter; null: every row
   */
  filter?: Filter | null;
  animation?: Animation;
  /**
   * the step sets the whole chart state
   */
  complete?: true;
  /**
   * the dataset drawn, when not main
   */
  data?: string;
  hold?: Hold;
  highlight?: Highlight;
  /**
   * value labels only at the last point of each series (a line's name at its end)
   */
  ends?: true;
  text?: BoundTexts;
}
/**
 * a theme's title or closing slide: words, no chart
 */
export interface Cover {
  title: string;
  heading: string;
  headingShown: false;
  notes: null;
  alt: null;
  kind: "cover";
  subtitle: string | null;
  /**
   * @minItems 1
   * @maxItems 1
   */
  steps: [
    {
      alt: string;
    }
  ];
}
export interface Data {
  series: (
    | {
        name: string;
        type: "dimension";
        categories: string[];
        values: number[];
      }
    | {
        name: string;
        type: "measure";
        values: (number | null)[];
        unit?: string;
      }
  )[];
}
