import { strict as assert } from "node:assert";
import { conventionsOf } from "../../server/context/syntax.js";
import { knownLanguages } from "../../server/syntax/index.js";

describe("context: the conventions.json entries the context engine reads", () => {
  it("are valid regular expressions in every grammar folder, and match what they are for", () => {
    for (const lang of knownLanguages()) {
      const c = conventionsOf(lang);
      assert.ok(c, `${lang} has conventions`);
      for (const key of ["implicitNames", "denseModifiers", "denseHeritage"] as const) {
        const pattern = c[key];
        if (pattern !== undefined) assert.doesNotThrow(() => new RegExp(pattern), `${lang}: ${key} ${pattern}`);
      }
    }
    const python = new RegExp(conventionsOf("python")!.implicitNames!);
    assert.ok(python.test("__eq__") && !python.test("_helper") && !python.test("__private"));
    const ts = new RegExp(conventionsOf("typescript")!.denseModifiers!);
    assert.equal(ts.exec("export default class ")?.[0], "export default ");
    assert.equal(ts.exec("export declare function ")?.[0], "export declare ");
    assert.equal(ts.exec("exported()"), null);
    assert.equal(ts.exec("public static create")?.[0], "public ");
    // Heritage is matched between a class's name (and type parameters) and its body.
    const tsBases = new RegExp(conventionsOf("typescript")!.denseHeritage!);
    assert.equal(tsBases.exec(" extends Atom<T> implements IObservable, IListenable\n")?.[0], " extends Atom<T> implements IObservable, IListenable");
    assert.equal(tsBases.exec(" "), null);
    const pyBases = new RegExp(conventionsOf("python")!.denseHeritage!);
    assert.equal(pyBases.exec("(Base, metaclass=ABCMeta):\n    ")?.[0], "(Base, metaclass=ABCMeta)");
    assert.equal(pyBases.exec(":\n    "), null);
  });
});
