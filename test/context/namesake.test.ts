import { strict as assert } from "node:assert";
import { stubContext, workspaceFixture } from "../helpers/workspace.js";

describe("context engine: functions of the stub's name elsewhere", () => {
  const ws = workspaceFixture("ctx-namesake-", {
    "package.json": "{}\n",
    "src/store.ts":
      "function notify(key: string): void {\n  console.log(key);\n}\n\n" +
      "function audit(key: string): void {\n  console.log(key);\n}\n\n" +
      "export class MapStore {\n  set(key: string): void {\n    notify(key);\n  }\n}\n\n" +
      "export function log(key: string): void {\n  audit(key);\n}\n\n" +
      "export class ListStore {\n  set(key: string): void {\n    throw new Error(\"not implemented\");\n  }\n}\n",
  });

  it("ranks the helper another class's method of the same name calls above one used as often elsewhere", async () => {
    const r = await stubContext(ws.root, "src/store.ts", "set", 2048, { explain: true });
    const score = (name: string) => r.candidates!.find((c) => c.name === name)?.score ?? 0;
    const notify = r.candidates!.find((c) => c.name === "notify");
    assert.ok(notify && notify.features!.namesake > 0, `MapStore.set's uses are evidence: ${JSON.stringify(notify?.features)}`);
    assert.ok(score("notify") > score("audit"), `notify ${score("notify")} should outrank audit ${score("audit")}`);
  });
});
