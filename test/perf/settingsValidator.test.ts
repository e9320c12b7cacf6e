import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { validate } from "../../server/settings/schemaValidator.generated.js";
import { schemaDefaults, settingsSchema } from "../../server/settings/schema.js";
import { ajvOptions, settingsValidator, type SettingsValidator } from "../../server/settings/validator.js";
import { generatedPath, validatorSource } from "../../server/settings/validatorCode.js";

const generated = validate as SettingsValidator;

describe("settings validator generated ahead of time", () => {
  it("is up to date with schema.json (run `npm run gen:validator` after editing the schema)", () => {
    assert.equal(readFileSync(generatedPath(), "utf8"), validatorSource(), "server/settings/schemaValidator.generated.ts is stale: run npm run gen:validator");
  });

  it("is the validator the server uses while it is up to date", () => {
    assert.equal(settingsValidator(), generated);
  });

  it("reports exactly what ajv compiling schema.json at run time reports", () => {
    const compiled = new Ajv(ajvOptions).compile(settingsSchema());
    const defaults = schemaDefaults() as Record<string, Record<string, unknown>>;
    const samples: unknown[] = [
      defaults,
      { ...defaults, bogus: 1 },
      { ...defaults, provider: "nope", maxRetries: -1 },
      { ...defaults, completion: { ...defaults.completion, maxTokens: "many", fimMode: "x" } },
      { ...defaults, actions: { ...defaults.actions, custom: [{ title: "", prompt: "p" }, { title: "😀" }] } },
      "not an object",
    ];
    for (const sample of samples) {
      const a = generated(sample);
      const b = compiled(sample);
      assert.equal(a, b, JSON.stringify(sample));
      assert.deepEqual(generated.errors ?? null, compiled.errors ?? null, JSON.stringify(sample));
    }
    assert.equal(generated(samples[1]), false, "an unknown key is an error");
  });
});
