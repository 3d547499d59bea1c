// Prints, as JSON, every function in the given JavaScript files longer than
// the limit: [{file, name, line, lines}]. Parsed with TypeScript's own parser.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(`${process.cwd()}/`);
const ts = require("typescript");
const [limit, ...files] = process.argv.slice(2);
const found = [];
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const lineOf = (position) => source.getLineAndCharacterOfPosition(position).line + 1;
  const nameOf = (node) => {
    if (node.name) return node.name.getText(source);
    const parent = node.parent;
    if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText(source);
    return "(anonymous)";
  };
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
      if (lines > Number(limit)) found.push({ file, name: nameOf(node), line: lineOf(node.getStart(source)), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
console.log(JSON.stringify(found));
