import { trimOverlap } from "../../../server/postprocess/completion/overlap.js";
import { goldenSuite } from "./golden.js";

goldenSuite("completion filter: trimOverlap", trimOverlap, [
  { name: "drops the closing paren the editor already inserted", doc: "foo(█)\n", raw: "a, b)", expect: "a, b", multiline: false },
  { name: "drops a repeated ');'", doc: "call(█);\n", raw: "x, y);", expect: "x, y", multiline: false },
  { name: "keeps a suggestion whose end only looks like the next word", doc: "let █o = 1\n", raw: "fo", expect: "fo", multiline: false },
  { name: "drops a suggestion that repeats the rest of the line", doc: "x = █bar()\n", raw: "bar()", expect: "", multiline: false },
  { name: "keeps text when nothing follows on the line", doc: "x = █\n", raw: "1", expect: "1", multiline: false },
  {
    name: "drops trailing lines that repeat the lines below the cursor",
    doc: "function f() {\n  █\n}\n",
    raw: "return 1;\n}",
    expect: "return 1;",
  },
  {
    name: "keeps trailing lines that differ from the lines below",
    doc: "function f() {\n  █\n}\n",
    raw: "const a = 1;\n  return a;",
    expect: "const a = 1;\n  return a;",
  },
]);
