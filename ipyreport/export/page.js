// The page player's entry: what an exported story's bootstrap (html.py) and
// the notebook widget load. hatch_build.py bundles it with everything it
// imports into ipyreport/static/bundle/page.js.
export { start } from "./player.js";
export { follow } from "./article.js";
