import { strict as assert } from "node:assert";
import { renderGroup } from "../../server/context/group.js";
import { analyzeText, conventionsOf } from "../../server/context/syntax.js";
import { parseErrors } from "../../server/syntax/index.js";

describe("context group rendering", () => {
  it("drops the comment lines between the members of a class shown in part, not those inside a shown body", () => {
    const text = [
      "class Box:",
      '    """A box."""',
      "",
      "    # -- worker methods: a long banner that describes members not shown --",
      "    # more prose about the workers",
      "",
      "    def open(self):",
      "        # inside a body shown verbatim",
      "        return 1",
      "",
      "    # close ()",
      "",
      "    def close(self):",
      "        return 2",
      "",
    ].join("\n");
    const a = analyzeText(text, "python");
    const box = a.definitions.find((d) => d.name === "Box")!;
    const open = a.definitions.find((d) => d.name === "open")!;
    const file = { text, definitions: a.definitions, conventions: conventionsOf("python") };
    const r = renderGroup(file, box, new Map([[open, "full" as const]]));
    assert.doesNotMatch(r.text, /worker methods|more prose|close \(\)/);
    assert.match(r.text, /# inside a body shown verbatim/);
    assert.match(r.text, /"""A box."""/);
    assert.deepEqual(parseErrors(r.text, "python"), []);
    // The shown ranges leave the dropped comments out.
    const banner = text.indexOf("# -- worker");
    assert.ok(!r.ranges.some((x) => x.startOffset <= banner && banner < x.endOffset));
  });
});
