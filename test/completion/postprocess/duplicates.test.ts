import { dropDuplicateLines } from "../../../server/postprocess/completion/duplicates.js";
import { goldenSuite } from "./golden.js";

goldenSuite("completion filter: dropDuplicateLines", dropDuplicateLines, [
  { name: "drops a line equal to the line below", doc: "def f():\n    █\n    return total\n", raw: "return total", expect: "", multiline: false },
  { name: "drops a line equal to the line above", doc: "import os\nimport █\n", raw: "os", expect: "", multiline: false },
  { name: "keeps a new line", doc: "import os\nimport █\n", raw: "sys", expect: "sys", multiline: false },
  { name: "keeps short lines that repeat naturally", doc: "}\n█\n}\n", raw: "}", expect: "}", multiline: false },
  {
    name: "drops a block that only repeats nearby lines",
    doc: "█\nconst a = load();\nconst b = parse(a);\n",
    raw: "const a = load();\nconst b = parse(a);",
    expect: "",
  },
  {
    name: "keeps a block with one new line",
    doc: "█\nconst a = load();\n",
    raw: "const a = load();\nsave(a);",
    expect: "const a = load();\nsave(a);",
  },
]);
