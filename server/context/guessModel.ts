/**
 * How likely a body still to be written is to use a definition, from cheap evidence: how the rest
 * of the file uses the name, where the definition is, what kind it is, and whether functions like
 * the target use it. Gradient-boosted trees over named features (guessTrees.generated.ts), fitted
 * on the context benchmark's corpora (`node dist/bench/context.js --dump FILE` then
 * `python3 bench/fit_guesses.py FILE server/context/guessTrees.generated.ts`, on functions the
 * benchmark's reported runs never score), so the ranking of guesses is measured, not tuned by hand.
 * Held-out AUC on 219,774 candidates of 1,777 functions: trees (200, depth 5) 0.927, depth 3 0.922,
 * a logistic regression 0.906.
 * NOTE: the benchmark's Python gold (bench/context_gold.py, Python's `ast` without types) cannot
 * tell which members of other classes a body reaches, so in Python such guesses are labelled
 * unused; `staticTypes` keeps that from pulling down the members TypeScript's gold does see.
 */
import { BASE_MARGIN, FEATURE_ORDER, LEARNING_RATE, TREES, type GuessTree } from "./guessTrees.generated.js";

/** The evidence about one guessed definition; every value lies in [0, 1]. */
export interface GuessFeatures {
  /** How often the rest of the file uses the name (capped at 6, scaled). */
  uses: number;
  /** The rest of the file never uses the name: it was likely written (or imported) for this body. */
  unused: number;
  /** Closeness to the target in the same file (1 next to it, 0 at the far end). */
  near: number;
  /** Words the name shares with the target's name, doc and parameters (capped at 2, scaled). */
  shared: number;
  /** Weight of the name in the bodies of functions like the target (its neighbours, look-alikes). */
  analog: number;
  /** A definition of the same file. */
  sameFile: number;
  /** A definition a named import brings in. */
  imported: number;
  /** A member of an imported class that the file reaches with `.name`. */
  classMember: number;
  /** A member of a type the target's signature or class fields name, or of an imported value's class. */
  typedMember: number;
  /** A method of the target's own class. */
  siblingMethod: number;
  /** A field of the target's own class. */
  siblingField: number;
  /** A class, interface, struct, enum, trait or type. */
  isType: number;
  /** A function or method. */
  isCallable: number;
  /** The name reads as private (a leading underscore). */
  isPrivate: number;
  /** The name is in capitals, after any leading underscores (a constant: `MAX_N`, `_CD_CRC`). */
  isConstant: number;
  /** What the unit costs densely rendered: log(characters) / 8. */
  size: number;
  /** Imported by name and used nowhere else in the file. */
  orphanImport: number;
  /** A function of the same file that nothing else in the file calls. */
  orphanHelper: number;
  /** Used once or twice elsewhere (a helper shared by a few functions). */
  fewUses: number;
  /** A member of a class imported by name and used nowhere else in the file. */
  ofOrphanClass: number;
  /** A member of a type an imported function takes (a callback's parameter hands it to the body). */
  calleeTypeMember: number;
  /** A member the file never reaches with `.name`. */
  unseenMember: number;
  /** Defined before the target in the same file. */
  before: number;
  /** One of the three units before or after the target at its level. */
  adjacent: number;
  /** Named by the target's signature (1) or doc comment (0.5). */
  named: number;
  /** Identifiers its parameters and return type share with the target's (functions on the same types). */
  sharedTypes: number;
  /** Weight of the name in look-alike functions of look-alike files in the same folder. */
  siblingAnalog: number;
  /** A top-level definition of a module imported whole (`import copy`) that the file uses nowhere else. */
  ofOrphanModule: number;
  /**
   * A top-level definition of a module imported whole and used elsewhere in the file, that the
   * file never reaches as `module.name` (offered only with other evidence: analogues, shared words).
   */
  moduleMember: number;
  /** The file's language declares types (conventions.json `staticTypes`), so members are reached through them. */
  staticTypes: number;
  /** A name the language calls on its own (conventions.json `implicitNames`: Python's `__eq__`). */
  isImplicit: number;
  /** Words of the name share a stem, not a whole word, with the target's (`setter_` for `set`). */
  stemShared: number;
  /** How often the name occurs in its own file, for a unit of another file (log-scaled: central or incidental). */
  homeUses: number;
  /** How many members its class has (log-scaled), for a member: one of a few is likelier than one of sixty. */
  memberCount: number;
  /** Weight of the name in the bodies of functions of the target's name elsewhere (another class's `set`). */
  namesake: number;
  /**
   * How many guesses of its kind the request has (log-scaled; kinds in rivalryOf, engine.ts): one
   * of 4 unused helpers is likelier than one of 60 unused constants, whatever else they share.
   */
  rivals: number;
}

export type GuessFeatureName = keyof GuessFeatures;

// The trees index features by position. The generated order names features that exist (checked
// here by the compiler); that it names every one, so that no evidence is left out of the model, is
// checked by test/context/guessModel.test.ts (a new feature is collected before it is fitted).
const ORDER: readonly GuessFeatureName[] = FEATURE_ORDER satisfies readonly GuessFeatureName[];

/**
 * The trees compiled into JavaScript functions of nested conditionals over the features by name,
 * the way ajv compiles a schema. A request scores up to ~600 guesses, on every keystroke's build.
 * Per guess with varied features on this 2-core machine, 200 trees of depth 5: the generated nested
 * arrays walked node by node ~45 µs (mixed numbers and arrays, boxed doubles, features read by
 * computed key); the same trees in typed arrays, walked without a branch per split, 15 µs; compiled
 * in parts of TREES_PER_PART trees 6.5 µs (parts of 10: 4-8 µs; one function of all 200 trees is
 * too big for V8 to optimize: 44 µs). The probabilities are the same to the bit: leaves are summed
 * tree by tree (margin += rate × leaf), as the fit did. The code is built only from the generated
 * trees' numbers and the feature names, never from input.
 */
function compile(trees: readonly GuessTree[]): (f: GuessFeatures) => number {
  const num = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));
  const expr = (node: GuessTree): string => (typeof node === "number" ? num(node) : `(f.${ORDER[node[0]]!} <= ${num(node[1])} ? ${expr(node[2])} : ${expr(node[3])})`);
  const parts: Array<(f: GuessFeatures, m: number) => number> = [];
  for (let i = 0; i < trees.length; i += TREES_PER_PART) {
    const body = trees.slice(i, i + TREES_PER_PART).map((t) => `m += ${num(LEARNING_RATE)} * ${expr(t)};`);
    parts.push(new Function("f", "m", [...body, "return m;"].join("\n")) as (f: GuessFeatures, m: number) => number);
  }
  return (f) => {
    let m = BASE_MARGIN;
    for (const part of parts) m = part(f, m);
    return 1 / (1 + Math.exp(-m));
  };
}
const TREES_PER_PART = 50;

/** The probability, under the fitted model, that the body uses the definition. */
export const guessProbability: (f: GuessFeatures) => number = compile(TREES);

/** Features with every value zero, to fill in. */
export function noFeatures(): GuessFeatures {
  return { uses: 0, unused: 0, near: 0, shared: 0, analog: 0, sameFile: 0, imported: 0, classMember: 0, typedMember: 0, siblingMethod: 0, siblingField: 0, isType: 0, isCallable: 0, isPrivate: 0, isConstant: 0, size: 0, orphanImport: 0, orphanHelper: 0, fewUses: 0, ofOrphanClass: 0, calleeTypeMember: 0, unseenMember: 0, before: 0, adjacent: 0, named: 0, sharedTypes: 0, siblingAnalog: 0, ofOrphanModule: 0, moduleMember: 0, staticTypes: 0, isImplicit: 0, stemShared: 0, homeUses: 0, memberCount: 0, namesake: 0, rivals: 0 };
}
