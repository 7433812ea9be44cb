// Builds cpevents/static/ from the pinned npm packages: `npm ci && npm run build`
// (or `make assets`). The output is committed, so running the app needs no Node.js.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const dist = "node_modules/govuk-frontend/dist/govuk";
const result = sass.compile("assets/cpevents.scss", {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
});
mkdirSync("cpevents/static/css", { recursive: true });
writeFileSync("cpevents/static/css/cpevents.css", result.css);
mkdirSync("cpevents/static/js", { recursive: true });
cpSync(`${dist}/govuk-frontend.min.js`, "cpevents/static/js/govuk-frontend.min.js");
mkdirSync("cpevents/static/images", { recursive: true });
// Only the neutral favicon-sized images; no crown, no crest.
for (const name of ["favicon.ico", "favicon.svg"]) {
  cpSync(`${dist}/assets/images/${name}`, `cpevents/static/images/${name}`);
}
console.log("built cpevents/static/css/cpevents.css (%d bytes)", result.css.length);
