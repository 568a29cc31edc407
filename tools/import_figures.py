"""Import figures for the house: function-level imports and import cycles between project modules.

    .venv/bin/python tools/import_figures.py

Prints the imports written inside functions (project code, not tests or migrations), the pairs of top-level
packages that import each other, and the strongly connected groups of modules (a group is an import cycle).
"""
import ast
import pathlib
import sys

import grimp

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name not in {"tools"})


def project_files():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            yield path


def function_level_imports():
    found = []
    for path in project_files():
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [(path.relative_to(ROOT), node.lineno) for node in ast.walk(func)
                          if isinstance(node, ast.Import | ast.ImportFrom)]
    return sorted(set(found))


def cycles(graph, modules):
    """Tarjan's strongly connected components over `modules`; groups of more than one module."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.find_modules_directly_imported_by(node) & modules:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10000)
    for module in sorted(modules):
        if module not in index:
            visit(module)
    return groups


def main():
    sys.path.insert(0, str(ROOT))
    imports = function_level_imports()
    print(f"function-level imports (lines): {len(imports)}")
    for path, line in imports:
        print(f"  {path}:{line}")
    graph = grimp.build_graph(*PACKAGES)
    modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}
    edges = {(a.split(".")[0], b.split(".")[0]) for a in modules
             for b in graph.find_modules_directly_imported_by(a) & modules}
    pairs = sorted({tuple(sorted(e)) for e in edges if e[0] != e[1] and e[::-1] in edges})
    print(f"package pairs importing each other (tests and migrations left out): {len(pairs)} {pairs}")
    groups = cycles(graph, modules)
    print(f"module import cycles (strongly connected groups): {len(groups)}, "
          f"modules in them: {sum(map(len, groups))}")
    for group in groups:
        print("  " + " ".join(group))


if __name__ == "__main__":
    main()
