/**
 * The end-to-end suite every real editor runs: lifecycle, "Generate implementation", hover and
 * completion, in TypeScript and Python, through the user config from client-configs/.
 */
import assert from "node:assert/strict";
import { realpathSync } from "node:fs";
import { requireEditor } from "./harness.js";
import {
  fakeLlmForSuite,
  hoverMustShow,
  hoverReply,
  languages,
  occurrences,
  runEditor,
  stepOf,
  timeouts,
  type EditorDriver,
  type LanguageScenario,
} from "./scenarios.js";

/**
 * Features whose server side has not landed on main yet: their editor tests are registered but
 * pending, so the suite stays green for the engineers still building them. Empty it when they land.
 */
const notLandedYet = new Set<string>([]);

/** Strips a trailing slash and resolves symlinks so editor-reported folders compare equal. */
function samePath(p: string): string {
  return realpathSync(p.replace(/\/+$/, "") || "/");
}

/** Defines the suite for one editor; `available` is checked once, before any test runs. */
export function defineEditorSuite(driver: EditorDriver, available: () => boolean, label: string): void {
  /** `it`, or `it.skip` with the reason printed, for a feature not landed yet or a known server bug. */
  const itIfLanded = (feature: "actions" | "hover" | "completion") => {
    const bug = driver.knownBug?.(feature);
    if (bug) console.log(`      pending (${driver.name}, ${feature}): ${bug}`);
    return notLandedYet.has(feature) || bug ? it.skip : it;
  };
  describe(`${label}: end to end with ${driver.config.replace(/^.*client-configs\//, "client-configs/")}`, function () {
    this.timeout(timeouts.mochaMs);
    before(function () {
      requireEditor(this, driver.name, available());
    });
    const fake = fakeLlmForSuite();

    it("runs one server for the TypeScript and the Python file of a project", async () => {
      const [first, second] = languages as [LanguageScenario, LanguageScenario];
      const outcome = await runEditor(
        driver,
        fake.get(),
        first,
        [{ kind: "open", file: second.file }, { kind: "shutdown" }],
        "ok",
        [second],
      );
      outcome.verify((result) => {
        const open = stepOf(result, "open");
        assert.equal(open.sameServer, true, `the ${second.name} file got its own server`);
        assert.equal(stepOf(result, "shutdown").exitCode, 0);
      });
    });

    for (const lang of languages) {
      describe(lang.name, () => {
        it("starts the server from the config, passes the settings through and exits 0 after shutdown", async () => {
          const outcome = await runEditor(driver, fake.get(), lang, [{ kind: "settings" }, { kind: "shutdown" }], "ok");
          outcome.verify((result) => {
            const { settings, workspaceFolders } = stepOf(result, "settings");
            assert.equal(settings.baseUrl, fake.get().url, "baseUrl from the editor's initializationOptions");
            assert.equal(settings.logLevel, "debug");
            assert.notEqual(settings.apiKey, "test-key-not-secret", "the API key is masked");
            const folders = (workspaceFolders as string[]).map(samePath);
            assert.ok(folders.includes(samePath(outcome.workspaceDir)), `workspace folders ${folders.join(", ")}`);
            assert.equal(stepOf(result, "shutdown").exitCode, 0, "exit code after shutdown + exit");
          });
        });

        itIfLanded("actions")('offers "Generate implementation" on the stub and writes the model\'s body into the buffer once', async () => {
          const outcome = await runEditor(
            driver,
            fake.get(),
            lang,
            [{ kind: "codeActions", ...lang.action, choose: "Generate implementation" }, { kind: "shutdown" }],
            lang.implementation,
          );
          outcome.verify((result) => {
            const step = stepOf(result, "codeActions");
            const titles = step.titles as string[];
            assert.ok(titles.some((t) => t.startsWith("Generate implementation")), `offered: ${titles.join(" | ")}`);
            assert.equal(step.path, driver.actionPath, `the edit travelled by ${step.path}`);
            const lines = String(step.text).split("\n");
            for (const expected of lang.expectAfterAction) {
              assert.ok(lines.includes(expected), `buffer lacks the line ${JSON.stringify(expected)}:\n${step.text}`);
            }
            assert.ok(!step.text.includes(lang.stubMarker), `the stub body is still there:\n${step.text}`);
            const last = lang.expectAfterAction[lang.expectAfterAction.length - 1]!;
            assert.equal(occurrences(step.text, last), 1, `the body was inserted more than once:\n${step.text}`);
            const generations = fake.get().requests.filter((r) => r.endpoint === "chat" || r.endpoint === "completions");
            assert.equal(generations.length, 1, "exactly one model call for one action");
            assert.equal(stepOf(result, "shutdown").exitCode, 0);
          });
        });

        itIfLanded("hover")("shows the model's explanation on hover over a call", async () => {
          const outcome = await runEditor(driver, fake.get(), lang, [{ kind: "hover", ...lang.hover }, { kind: "shutdown" }], hoverReply);
          outcome.verify((result) => {
            const step = stepOf(result, "hover");
            const shown = JSON.stringify(step.lines ?? step.text ?? null);
            assert.ok(shown.includes(hoverMustShow), `hover showed ${shown}`);
            assert.equal(stepOf(result, "shutdown").exitCode, 0);
          });
        });

        itIfLanded("completion")("lists the model's suggestion among the completion items", async () => {
          const outcome = await runEditor(
            driver,
            fake.get(),
            lang,
            [{ kind: "completion", ...lang.completion }, { kind: "shutdown" }],
            lang.completionReply,
          );
          outcome.verify((result) => {
            const step = stepOf(result, "completion");
            const items = JSON.stringify(step.items ?? []);
            assert.ok(items.includes("double(twice)"), `completion items: ${items}`);
            assert.equal(stepOf(result, "shutdown").exitCode, 0);
          });
        });
      });
    }
  });
}
