"""Gold for the context benchmark, computed with Python's own `ast` (independent of tree-sitter).

Usage: python3 context_gold.py ROOT FILE...   (FILE relative to ROOT) -> JSON on stdout.

For every module-level function and every method of a module-level class it reports where the
body is and which definitions the body really uses:
  * same-file: module-level functions, classes and assigned names; members of the enclosing
    class reached through self./cls./ClassName.;
  * cross-file: names brought in by `from X import a` and `X.a` for `import X`, when X is a
    module file under ROOT and `a` a module-level definition there.
Columns are in code points (not UTF-8 bytes); lines are 1-based.
"""
import ast
import json
import os
import sys

ROOT = os.path.abspath(sys.argv[1])
_module_cache = {}


def char_col(lines, lineno, byte_col):
    line = lines[lineno - 1].encode("utf-8")
    return len(line[:byte_col].decode("utf-8", errors="replace"))


def module_defs(tree):
    """Module-level definitions: name -> (line, col_bytes, end_line, kind)."""
    defs = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defs[node.name] = (node, "def")
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    defs[t.id] = (node, "var")
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defs[node.target.id] = (node, "var")
    return defs


def load(path):
    if path in _module_cache:
        return _module_cache[path]
    try:
        with open(path, encoding="utf-8") as f:
            src = f.read()
        tree = ast.parse(src)
        # NOTE: not splitlines(), which also splits at form feeds (\x0c, in many stdlib files) and
        # other separators that Python's ast and the benchmark's line starts do not count as lines.
        res = (tree, src.split("\n"), module_defs(tree))
    except Exception:
        res = None
    _module_cache[path] = res
    return res


def resolve_module(name, level, from_file):
    if level:
        base = os.path.dirname(from_file)
        for _ in range(level - 1):
            base = os.path.dirname(base)
    else:
        base = ROOT
    parts = name.split(".") if name else []
    p = os.path.join(base, *parts)
    for cand in ([p + ".py", os.path.join(p, "__init__.py")] if parts else [os.path.join(p, "__init__.py")]):
        if os.path.isfile(cand) and os.path.abspath(cand).startswith(ROOT + os.sep):
            return os.path.abspath(cand)
    return None


def name_pos(node, lines):
    """(line, char col) of a definition's name."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        line = lines[node.lineno - 1]
        idx = line.find(node.name)
        return node.lineno, (idx if idx >= 0 else char_col(lines, node.lineno, node.col_offset))
    return node.lineno, char_col(lines, node.lineno, node.col_offset)


def entry(path, node, lines, name, same):
    line, col = name_pos(node, lines)
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        # For `X = 1` the name sits at the statement's start.
        pass
    start = node.lineno
    if getattr(node, "decorator_list", None):
        start = min([start] + [d.lineno - 1 for d in node.decorator_list])
    return {"file": path, "name": name, "line": line, "col": col, "startLine": start, "endLine": node.end_lineno, "same": same}


def locals_of(fn):
    names = set()
    a = fn.args
    for arg in a.posonlyargs + a.args + a.kwonlyargs:
        names.add(arg.arg)
    if a.vararg:
        names.add(a.vararg.arg)
    if a.kwarg:
        names.add(a.kwarg.arg)
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not fn:
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for al in node.names:
                names.add((al.asname or al.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def analyze(rel):
    path = os.path.abspath(os.path.join(ROOT, rel))
    loaded = load(path)
    if not loaded:
        return []
    tree, lines, defs = loaded
    from_names = {}  # local name -> (module file, name)
    mod_alias = {}  # local name -> module file
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            mf = resolve_module(node.module or "", node.level, path)
            for al in node.names:
                if al.name == "*":
                    continue
                if mf:
                    from_names[al.asname or al.name] = (mf, al.name)
                sub = resolve_module(((node.module + ".") if node.module else "") + al.name, node.level, path)
                if sub:
                    mod_alias[al.asname or al.name] = sub
        elif isinstance(node, ast.Import):
            for al in node.names:
                mf = resolve_module(al.name, 0, path)
                if mf:
                    mod_alias[al.asname or al.name.split(".")[0]] = mf if al.asname else resolve_module(al.name.split(".")[0], 0, path)
    out = []

    def visit_function(fn, cls):
        body = fn.body
        first = 0
        if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
            first = 1
        stmts = body[first:]
        if not stmts:
            return
        local = locals_of(fn)
        needed = {}
        uses = {}

        def add(key, e, lineno):
            needed.setdefault(key, e)
            uses.setdefault(key, set()).add(lineno)

        class_members = {}
        if cls is not None:
            for n in cls.body:
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    class_members[n.name] = n
                elif isinstance(n, ast.Assign):
                    for t in n.targets:
                        if isinstance(t, ast.Name):
                            class_members[t.id] = n
                elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name):
                    class_members[n.target.id] = n
        for stmt in stmts:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    nm = node.id
                    if nm in local:
                        continue
                    if nm in defs and not (cls is None and nm == fn.name):
                        dn = defs[nm][0]
                        add(("s", nm), entry(path, dn, lines, nm, True), node.lineno)
                    elif nm in from_names:
                        mf, orig = from_names[nm]
                        other = load(mf)
                        if other and orig in other[2]:
                            add(("x", mf, orig), entry(mf, other[2][orig][0], other[1], orig, False), node.lineno)
                elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                    obj = node.value.id
                    if cls is not None and obj in ("self", "cls", cls.name) and node.attr in class_members and node.attr != fn.name:
                        add(("c", node.attr), entry(path, class_members[node.attr], lines, node.attr, True), node.lineno)
                    elif obj in mod_alias and obj not in local:
                        other = load(mod_alias[obj])
                        if other and node.attr in other[2] and mod_alias[obj] != path:
                            add(("x", mod_alias[obj], node.attr), entry(mod_alias[obj], other[2][node.attr][0], other[1], node.attr, False), node.lineno)
        def start_of(st):
            # A decorated definition starts at its first decorator, not at `def`.
            decs = getattr(st, "decorator_list", None)
            if decs:
                d = min(decs, key=lambda x: (x.lineno, x.col_offset))
                return d.lineno, max(0, char_col(lines, d.lineno, d.col_offset) - 1)
            return st.lineno, char_col(lines, st.lineno, st.col_offset)

        out.append({
            "file": path,
            "name": fn.name,
            "container": cls.name if cls is not None else None,
            "defLine": fn.lineno,
            "bodyStart": list(start_of(stmts[0])),
            "bodyEnd": [stmts[-1].end_lineno, char_col(lines, stmts[-1].end_lineno, stmts[-1].end_col_offset)],
            "stmts": [[start_of(s)[0], s.end_lineno] for s in stmts],
            "needed": [dict(e, uses=sorted(uses[k])) for k, e in needed.items()],
        })

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            visit_function(node, None)
        elif isinstance(node, ast.ClassDef):
            for m in node.body:
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    visit_function(m, node)
    return out


def main():
    result = []
    for rel in sys.argv[2:]:
        try:
            result.extend(analyze(rel))
        except RecursionError:
            pass
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
