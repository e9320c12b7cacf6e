import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { packagePath } from "../../server/paths.js";
import { withSettingsTable } from "../../server/settings/docs.js";
import { settingFields } from "../../server/settings/schema.js";

describe("core: README", () => {
  const readme = readFileSync(packagePath("README.md"), "utf8");

  it("holds the settings table generated from schema.json (run `npm run docs:settings` when this fails)", () => {
    assert.equal(readme, withSettingsTable(readme));
    for (const f of settingFields()) assert.ok(readme.includes(`| \`${f.key}\` |`), `README misses ${f.key}`);
  });

  it("names the two commands that work on a fresh machine", () => {
    assert.match(readme, /npx codegen-language-server --stdio/);
    assert.match(readme, /^npm test$/m);
    const ci = readFileSync(packagePath(".ci", "run"), "utf8");
    assert.match(ci, /npm ci/);
    assert.match(ci, /npm test/);
  });
});
