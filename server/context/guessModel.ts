/**
 * How likely a body still to be written is to use a definition, from cheap evidence: how the rest
 * of the file uses the name, where the definition is, what kind it is, and whether functions like
 * the target use it. Gradient-boosted trees over named features (guessTrees.generated.ts), fitted
 * on the context benchmark's corpora (`node dist/bench/context.js --dump FILE` then
 * `python3 bench/fit_guesses.py FILE server/context/guessTrees.generated.ts`, on functions the
 * benchmark's reported runs never score), so the ranking of guesses is measured, not tuned by hand.
 * Held-out AUC on 242,402 candidates of 1,777 functions: trees (200, depth 6, with the pairwise
 * ranking term of fit_guesses.py) 0.939, a logistic regression 0.910.
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
  /** A member of a class, or of the type of a value, imported by name and used nowhere else in the file. */
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
  /** The share of the files of the document's folder that write `x.name` for its name (a member other code reaches). */
  folderMembers: number;
  /**
   * How many guesses of its kind the request has (log-scaled; kinds in rivalryOf, guesses.ts): one
   * of 4 unused helpers is likelier than one of 60 unused constants, whatever else they share.
   */
  rivals: number;
  /** A member of a type one of those members has (`query.state.fetchStatus`): typedMember one type further. */
  secondHop: number;
  /** A member of a base of the target's own class (`this.clearGcTimeout()` in a Query that extends Removable). */
  inherited: number;
}

export type GuessFeatureName = keyof GuessFeatures;

// The trees index features by position. The generated order names features that exist (checked
// here by the compiler); that it names every one, so that no evidence is left out of the model, is
// checked by test/context/guessModel.test.ts (a new feature is collected before it is fitted).
const ORDER: readonly GuessFeatureName[] = FEATURE_ORDER satisfies readonly GuessFeatureName[];

/**
 * The trees laid out as complete binary trees in typed arrays (node k's children at 2k + 1 and
 * 2k + 2, a leaf above the full depth padded with splits that always go left) and walked level by
 * level. A request scores up to ~600 guesses, on every keystroke's build, between parsing and
 * token counting that evict the CPU's caches, so the model's memory counts as much as its
 * instructions. 200 trees of depth 5, per guess on this 2-core machine: compiled into JavaScript
 * functions of nested conditionals (~400 KB of machine code) 4 µs in a hot loop but 24 µs mean,
 * 57 µs p90 inside bench:context's builds, where that code was cold; walking the generated nested
 * arrays ~45 µs (boxed doubles, mixed arrays); the same trees as sparse typed arrays, 10 µs;
 * QuickScorer's bitvectors 9 µs (the continuous features fail many splits); this layout (~100 KB,
 * every walk the same number of steps) 5.5 µs, 7.7 µs with the caches flushed every 20 guesses.
 * bench:context (seed 7, TypeScript, implement) warm build p95: 53 ms compiled, 31 ms so. The margin is summed tree by tree (margin +=
 * rate × leaf) as the fit did, so the probabilities are the fit's to the bit.
 */
function completeTrees(trees: readonly GuessTree[]): (x: Float64Array) => number {
  const depthOf = (t: GuessTree): number => (typeof t === "number" ? 0 : 1 + Math.max(depthOf(t[2]), depthOf(t[3])));
  const depth = Math.max(0, ...trees.map(depthOf));
  const splits = (1 << depth) - 1;
  const feature = new Int32Array(trees.length * splits);
  const threshold = new Float64Array(trees.length * splits);
  const leaf = new Float64Array(trees.length << depth);
  trees.forEach((tree, t) => {
    const place = (node: GuessTree, k: number, level: number): void => {
      if (level === depth) {
        leaf[(t << depth) + k - splits] = node as number;
        return;
      }
      const split = typeof node === "number" ? ([0, Infinity, node, node] as const) : node;
      feature[t * splits + k] = split[0];
      threshold[t * splits + k] = split[1];
      place(split[2], 2 * k + 1, level + 1);
      place(split[3], 2 * k + 2, level + 1);
    };
    place(tree, 0, 0);
  });
  // The walk is generated, unrolled to the trees' depth with their count as a constant: ~25 %
  // faster than the same loop over levels reading fields. Built only from numbers computed here.
  const step = "k = 2 * k + (x[feature[base + k]] <= threshold[base + k] ? 1 : 2);\n";
  const walk = new Function(
    "x",
    "feature",
    "threshold",
    "leaf",
    `let m = ${BASE_MARGIN};
     for (let t = 0, base = 0, first = 0; t < ${trees.length}; t++, base += ${splits}, first += ${1 << depth}) {
       let k = 0;
       ${step.repeat(depth)}
       m += ${LEARNING_RATE} * leaf[first + k - ${splits}];
     }
     return m;`,
  ) as (x: Float64Array, feature: Int32Array, threshold: Float64Array, leaf: Float64Array) => number;
  return (x) => walk(x, feature, threshold, leaf);
}

/** The model as a function of the features by name, which it copies into an array once per guess. */
function evaluator(trees: readonly GuessTree[]): (f: GuessFeatures) => number {
  const margin = completeTrees(trees);
  const x = new Float64Array(ORDER.length);
  return (f) => {
    for (let i = 0; i < ORDER.length; i++) x[i] = f[ORDER[i]!];
    return 1 / (1 + Math.exp(-margin(x)));
  };
}

/** The probability, under the fitted model, that the body uses the definition. */
export const guessProbability: (f: GuessFeatures) => number = evaluator(TREES);

/** Features with every value zero, to fill in. */
export function noFeatures(): GuessFeatures {
  return { uses: 0, unused: 0, near: 0, shared: 0, analog: 0, sameFile: 0, imported: 0, classMember: 0, typedMember: 0, siblingMethod: 0, siblingField: 0, isType: 0, isCallable: 0, isPrivate: 0, isConstant: 0, size: 0, orphanImport: 0, orphanHelper: 0, fewUses: 0, ofOrphanClass: 0, calleeTypeMember: 0, unseenMember: 0, before: 0, adjacent: 0, named: 0, sharedTypes: 0, siblingAnalog: 0, ofOrphanModule: 0, moduleMember: 0, staticTypes: 0, isImplicit: 0, stemShared: 0, homeUses: 0, memberCount: 0, namesake: 0, folderMembers: 0, rivals: 0, secondHop: 0, inherited: 0 };
}
