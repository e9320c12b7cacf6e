import { fixIndentation } from "../../../server/postprocess/completion/indentation.js";
import { goldenSuite } from "./golden.js";

goldenSuite("completion filter: fixIndentation", fixIndentation, [
  { name: "removes indentation the cursor's line already has", doc: "def f():\n    █\n", raw: "    return 1", expect: "return 1" },
  {
    name: "turns spaces into the document's tabs",
    doc: "func f() {\n\tif x {\n\t\ty()\n\t}\n\t█\n}\n",
    raw: "if z {\n        w()\n    }",
    expect: "if z {\n\t\tw()\n\t}",
  },
  {
    name: "turns tabs into the document's spaces",
    doc: "class A:\n    def f(self):\n        █\n",
    raw: "x = 1\n\t\treturn x",
    expect: "x = 1\n        return x",
  },
  {
    name: "shifts a chat reply written from column 0 under the cursor's block",
    doc: "def f():\n    █\n",
    raw: "x = 1\nif x:\n    y()\nreturn x",
    expect: "x = 1\n    if x:\n        y()\n    return x",
    chat: true,
  },
  {
    name: "leaves a FIM reply's absolute indentation alone",
    doc: "def f():\n    █\n",
    raw: "x = 1\n    return x",
    expect: "x = 1\n    return x",
  },
]);
