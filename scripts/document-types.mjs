// Writes ipyreport/export/document.d.ts, the story document's types, from
// ipyreport/schema/story-document.schema.json (the schema the Python side is
// tested against), with json-schema-to-typescript pinned in package.json.
//
//   node scripts/document-types.mjs          write the .d.ts
//   node scripts/document-types.mjs --check  exit 1 if the checked-in .d.ts is stale
//   (--schema FILE / --types FILE read or write other files, for tests)
//
// JSON Schema -> TypeScript goes through this script only; the other direction
// (the engine's .d.ts -> JSON Schema) is ts-json-schema-generator in hatch_build.py.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { compile } from "json-schema-to-typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    schema: { type: "string", default: join(root, "ipyreport", "schema", "story-document.schema.json") },
    types: { type: "string", default: join(root, "ipyreport", "export", "document.d.ts") },
  },
});
const SCHEMA = args.schema;
const TYPES = args.types;

/**
 * The schema as json-schema-to-typescript should read it: the root named
 * StoryDocument, and a `$ref` that only adds a description kept as a reference
 * (the tool would otherwise declare a second copy of the referenced type).
 * @param {unknown} node
 * @returns {unknown}
 */
function fitted(node) {
  if (Array.isArray(node)) return node.map(fitted);
  if (node === null || typeof node !== "object") return node;
  const entries = Object.entries(node);
  if ("$ref" in node && entries.every(([key]) => key === "$ref" || key === "description")) {
    return { $ref: node.$ref };
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, fitted(value)]));
}

const schema = /** @type {Record<string, unknown>} */ (fitted(JSON.parse(readFileSync(SCHEMA, "utf8"))));
delete schema.title;
const banner = [
  "/* The story document (Story.to_json()), as TypeScript types.",
  " * Generated from ipyreport/schema/story-document.schema.json by",
  " * scripts/document-types.mjs (./dev types); do not edit by hand. */",
].join("\n");
const text = await compile(/** @type {any} */ (schema), "StoryDocument", {
  bannerComment: banner,
  unknownAny: true,
  cwd: dirname(SCHEMA),
  style: { printWidth: 100 },
});

if (args.check) {
  let current = "";
  try {
    current = readFileSync(TYPES, "utf8");
  } catch {
    // a missing file is stale too
  }
  if (current !== text) {
    console.error(
      `${relative(".", TYPES)} does not match ${relative(".", SCHEMA)}; regenerate it with ./dev types and commit it`,
    );
    process.exit(1);
  }
} else {
  writeFileSync(TYPES, text);
}
