import { strict as assert } from "node:assert";
import { stubContext, workspaceFixture } from "../helpers/workspace.js";

describe("context engine: look-alike files of the same folder", () => {
  // One operator per file: the look-alike of the stub calls beta.
  const ws = workspaceFixture("ctx-analog-", {
    "ops/lib.ts": "export function alpha(x: number): number {\n  return x;\n}\nexport function beta(x: number): number {\n  return -x;\n}\n",
    "ops/windowWhen.ts": 'import { beta } from "./lib.js";\n\nexport function windowWhen(n: number): number {\n  return beta(n) + 1;\n}\n',
    "ops/unrelated.ts": 'import { alpha } from "./lib.js";\n\nexport function unrelated(n: number): number {\n  return alpha(n);\n}\n',
  });

  it("ranks what a look-alike function in a look-alike file calls above an equally likely import", async () => {
    const text = 'import { alpha, beta } from "./lib.js";\n\nexport function windowToggle(n: number): number {\n  throw new Error("not implemented");\n}\n';
    const r = await stubContext(ws.root, "ops/windowToggle.ts", "windowToggle", 512, { explain: true }, text);
    const names = r.candidates!.filter((c) => c.guess).map((c) => c.name);
    assert.ok(names.indexOf("beta") >= 0 && names.indexOf("beta") < names.indexOf("alpha"), `beta before alpha: ${names.join(" ")}`);
    assert.ok(r.candidates!.find((c) => c.name === "beta")!.features!.siblingAnalog > 0);
    assert.equal(r.candidates!.find((c) => c.name === "alpha")!.features!.siblingAnalog, 0, "unrelated.ts shares no word with the stub");
  });
});

describe("context engine: files of the same folder that import what the document imports", () => {
  // Operators that share no word with the stub's name, but import the same three modules.
  const imports = 'import { operate } from "./lift.js";\nimport { wrap } from "./wrap.js";\nimport { noop } from "./noop.js";\n';
  const ws = workspaceFixture("ctx-coimport-", {
    "ops/lift.ts": "export function operate(f: () => void): void {\n  f();\n}\n",
    "ops/wrap.ts": "export function wrap(x: number): number {\n  return x;\n}\n",
    "ops/noop.ts": "export function noop(): void {\n  return;\n}\n",
    "ops/lib.ts": "export function gamma(x: number): number {\n  return x;\n}\nexport function delta(x: number): number {\n  return -x;\n}\n",
    "ops/skipLast.ts": `${imports}import { delta } from "./lib.js";\n\nexport function skipLast(n: number): void {\n  operate(() => noop());\n  wrap(delta(n));\n}\n`,
    "ops/elementAt.ts": `${imports}import { delta } from "./lib.js";\n\nexport function elementAt(n: number): void {\n  operate(() => wrap(delta(n)));\n}\n`,
    "ops/other.ts": 'import { gamma } from "./lib.js";\n\nexport function other(n: number): number {\n  return gamma(n);\n}\n',
  });

  it("weighs the names their functions use, as those of a look-alike file", async () => {
    const text = 'import { operate } from "./lift.js";\nimport { wrap } from "./wrap.js";\nimport { noop } from "./noop.js";\nimport { gamma, delta } from "./lib.js";\n\nexport function throttle(n: number): void {\n  throw new Error("not implemented");\n}\n';
    const r = await stubContext(ws.root, "ops/throttle.ts", "throttle", 512, { explain: true }, text);
    const feature = (name: string) => r.candidates!.find((c) => c.name === name)!.features!.siblingAnalog;
    assert.ok(feature("delta") > 0, "skipLast.ts and elementAt.ts import what throttle.ts imports, and call delta");
    assert.equal(feature("gamma"), 0, "other.ts imports one module of the document's");
  });
});

describe("context engine: how the files next to the document use a module", () => {
  // worker.py uses locks for other things; the files next to it write locks.Lock.
  const ws = workspaceFixture("ctx-folder-", {
    "locks.py": "class Lock:\n    pass\n\n\nclass Thread:\n    pass\n\n\ndef current():\n    return None\n",
    "pool.py": "import locks\n\n\ndef make():\n    return locks.Lock()\n",
    "queues.py": "import locks\n\nGUARD = locks.Lock()\n",
  });

  it("offers the members of a module the file uses that the files next to it write, and not the others", async () => {
    const text = "import locks\n\n\ndef other():\n    return locks.current()\n\n\nclass Worker:\n    def start(self):\n        pass\n";
    const r = await stubContext(ws.root, "worker.py", "start", 512, { explain: true }, text);
    const lock = r.candidates!.find((c) => c.name === "Lock");
    assert.ok(lock?.guess && lock.features!.moduleMember === 1, "Lock is a guess");
    assert.ok(!r.candidates!.some((c) => c.name === "Thread"), "no file next to it writes locks.Thread");
  });
});

describe("context engine: the members the files next to the document reach", () => {
  // Two neighbours call isStale on their queries; nothing outside query.ts calls cancel.
  const ws = workspaceFixture("ctx-folder-members-", {
    "src/query.ts": "export class Query {\n  isStale(): boolean {\n    return false;\n  }\n  cancel(): void {\n    return;\n  }\n}\n",
    "src/observer.ts": 'import { Query } from "./query.js";\n\nexport function refresh(q: Query): boolean {\n  return q.isStale();\n}\n',
    "src/cache.ts": 'import { Query } from "./query.js";\n\nexport function stale(all: Query[]): Query[] {\n  return all.filter((query) => query.isStale());\n}\n',
  });

  it("gives a member the share of neighbour files that reach it by name", async () => {
    const text = 'import { Query } from "./query.js";\n\nexport function matches(query: Query): boolean {\n  throw new Error("not implemented");\n}\n';
    const r = await stubContext(ws.root, "src/utils.ts", "matches", 512, { explain: true }, text);
    const feature = (name: string) => r.candidates!.find((c) => c.name === name)?.features?.folderMembers;
    assert.equal(feature("isStale"), 2 / 3, "observer.ts and cache.ts of the three files next to utils.ts write .isStale");
    assert.equal(feature("cancel"), 0, "no file next to utils.ts writes .cancel");
  });
});
