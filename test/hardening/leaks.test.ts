/**
 * Per-request state that must not pile up in a long session (issue 9, found by bench:soak with
 * heap snapshots): every redaction used to leave about ten performance marks and measures behind
 * in secretlint's profiler and in the process's performance timeline.
 */
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { secretLintProfiler } from "@secretlint/profiler";
import { redactText } from "../../server/privacy/redact.js";

describe("hardening: nothing piles up per request", () => {
  it("redacting leaves no performance marks or profiler entries behind", async () => {
    await redactText("warm up: loads secretlint");
    // The profiler's observer is called asynchronously: let earlier entries arrive first.
    await new Promise((r) => setTimeout(r, 50));
    const profiler = secretLintProfiler as unknown as { entries: unknown[]; measures: unknown[] };
    const before = { marks: performance.getEntriesByType("mark").length, entries: profiler.entries.length, measures: profiler.measures.length };
    for (let i = 0; i < 50; i++) {
      const r = await redactText(`const token = "ghp_${"a1B2c3D4e5".repeat(3)}${String(i).padStart(6, "0")}"; // call ${i}`);
      assert.ok(!r.text.includes("ghp_"), "still redacts");
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      { marks: performance.getEntriesByType("mark").length, entries: profiler.entries.length, measures: profiler.measures.length },
      before,
      "50 redactions left nothing behind",
    );
  });
});
