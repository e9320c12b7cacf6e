/**
 * Gold for the context benchmark on TypeScript, computed with the TypeScript compiler API (the
 * type checker), independently of the tree-sitter queries under test: for each top-level function
 * and method of a top-level class, the workspace declarations its body really uses.
 */
import * as path from "node:path";
import ts from "typescript";

/** A definition a body uses. */
export interface GoldNeed {
  file: string;
  name: string;
  /** UTF-16 offset of the declaration's name. */
  nameOffset: number;
  start: number;
  end: number;
  same: boolean;
  /** Offsets inside the body where it is used. */
  uses: number[];
}

/** One function of the corpus. */
export interface GoldFunction {
  file: string;
  name: string;
  /** Offsets of the first and past the last statement of the body. */
  bodyStart: number;
  bodyEnd: number;
  /** Offsets of each top-level statement of the body. */
  stmts: Array<[number, number]>;
  needed: GoldNeed[];
}

function isFunctionLike(n: ts.Node): boolean {
  return ts.isFunctionLike(n);
}

/** Whether a declaration is module-level or a member of a module-level type (not a local). */
function isWorkspaceLevel(decl: ts.Node): boolean {
  for (let p = decl.parent; p; p = p.parent) {
    if (ts.isSourceFile(p)) return true;
    if (isFunctionLike(p) || ts.isBlock(p)) return false;
  }
  return false;
}

const ACCEPTED = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.PropertyDeclaration,
  ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.ModuleDeclaration,
]);

/** The statement-level node that holds a declaration (a `const` statement for a variable). */
function unitOf(decl: ts.Declaration): ts.Node {
  if (ts.isVariableDeclaration(decl) && decl.parent && ts.isVariableDeclarationList(decl.parent) && ts.isVariableStatement(decl.parent.parent)) return decl.parent.parent;
  return decl;
}

/** Computes the gold for every eligible function of the files under `root`. */
export function tsGold(root: string, files: string[]): GoldFunction[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: false,
    noEmit: true,
    skipLibCheck: true,
    strict: false,
    types: [],
  });
  const checker = program.getTypeChecker();
  const rootAbs = path.resolve(root) + path.sep;
  const out: GoldFunction[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const fns: Array<{ node: ts.FunctionLikeDeclaration & { body?: ts.Node }; name: string }> = [];
    for (const st of sf.statements) {
      if (ts.isFunctionDeclaration(st) && st.body && st.name) fns.push({ node: st, name: st.name.text });
      else if (ts.isClassDeclaration(st)) {
        for (const m of st.members) {
          if ((ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) && m.body && m.name && ts.isIdentifier(m.name)) fns.push({ node: m, name: m.name.text });
        }
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          const init = d.initializer;
          if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && init.body && ts.isBlock(init.body) && ts.isIdentifier(d.name)) fns.push({ node: init, name: d.name.text });
        }
      }
    }
    for (const { node, name } of fns) {
      const body = node.body;
      if (!body || !ts.isBlock(body) || body.statements.length === 0) continue;
      const stmts = body.statements.map((s) => [s.getStart(sf), s.getEnd()] as [number, number]);
      const fnStart = node.getStart(sf);
      const fnEnd = node.getEnd();
      const needed = new Map<string, GoldNeed>();
      const visit = (n: ts.Node): void => {
        // `this.#state` names a private member with a PrivateIdentifier, not an Identifier.
        if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) {
          let sym = checker.getSymbolAtLocation(n);
          if (sym && sym.flags & ts.SymbolFlags.Alias) {
            try {
              sym = checker.getAliasedSymbol(sym);
            } catch {
              // Unresolvable alias: not a workspace definition.
            }
          }
          const decl = sym?.declarations?.[0];
          if (decl && ACCEPTED.has(decl.kind)) {
            const dsf = decl.getSourceFile();
            const inside = dsf === sf && decl.getStart(dsf) >= fnStart && decl.getEnd() <= fnEnd;
            if (!inside && (dsf.fileName.startsWith(rootAbs)) && !dsf.isDeclarationFile && isWorkspaceLevel(decl)) {
              const nameNode = (decl as ts.NamedDeclaration).name;
              const nameOffset = nameNode ? nameNode.getStart(dsf) : decl.getStart(dsf);
              const key = `${dsf.fileName}:${nameOffset}`;
              const unit = unitOf(decl as ts.Declaration);
              const need = needed.get(key) ?? {
                file: dsf.fileName,
                name: nameNode && (ts.isIdentifier(nameNode) || ts.isPrivateIdentifier(nameNode)) ? nameNode.text : (nameNode?.getText(dsf) ?? "?"),
                nameOffset,
                start: unit.getStart(dsf, true),
                end: unit.getEnd(),
                same: dsf === sf,
                uses: [],
              };
              need.uses.push(n.getStart(sf));
              needed.set(key, need);
            }
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(body);
      out.push({ file, name, bodyStart: stmts[0]![0], bodyEnd: stmts[stmts.length - 1]![1], stmts, needed: [...needed.values()] });
    }
  }
  return out;
}
