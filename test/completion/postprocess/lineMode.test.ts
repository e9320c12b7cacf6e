import { limitToLine } from "../../../server/postprocess/completion/lineMode.js";
import { goldenSuite } from "./golden.js";

goldenSuite("completion filter: limitToLine", limitToLine, [
  { name: "keeps only the first line mid-expression", doc: "const x = █\n", raw: "compute(1);\nconst y = 2;", expect: "compute(1);", multiline: false },
  { name: "drops a suggestion that breaks the line first", doc: "const x = █\n", raw: "\nfoo()", expect: "", multiline: false },
  { name: "keeps every line in multi-line mode", doc: "def f():\n    █\n", raw: "a = 1\n    return a", expect: "a = 1\n    return a", multiline: true },
]);
