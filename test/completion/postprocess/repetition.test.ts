import { cutRepetition } from "../../../server/postprocess/completion/repetition.js";
import { goldenSuite } from "./golden.js";

goldenSuite("completion filter: cutRepetition", cutRepetition, [
  { name: "keeps one copy of a line repeated over and over", doc: "█", raw: "x = 1\nprint(x)\nprint(x)\nprint(x)\nprint(x)", expect: "x = 1\nprint(x)" },
  {
    name: "keeps one copy of a repeated group of lines",
    doc: "█",
    raw: "a()\nb()\nc()\nb()\nc()\nb()\nc()",
    expect: "a()\nb()\nc()",
  },
  { name: "keeps a line repeated only twice", doc: "█", raw: "push(1)\npush(1)", expect: "push(1)\npush(1)" },
  { name: "keeps stacked closers", doc: "█", raw: "x\n}\n}\n}", expect: "x\n}\n}\n}" },
  { name: "cuts characters looping to the end of a line", doc: "█", raw: "foo(" + "ab, ".repeat(20), expect: "foo(ab, " },
  { name: "keeps ordinary code", doc: "█", raw: "for (let i = 0; i < n; i++) {\n  sum += a[i];\n}", expect: "for (let i = 0; i < n; i++) {\n  sum += a[i];\n}" },
]);
