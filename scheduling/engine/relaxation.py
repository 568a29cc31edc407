"""The LP relaxation of a 0/1 packing problem, grown column by column and cut by cut.

One HiGHS model holds every row from the start and gains columns (column
generation) and rows (cutting planes) as the rounds go; each re-solve starts
from the previous basis, so a round costs some pivots, not a fresh solve.
Rows that no column of the model touches have dual 0, which keeps every bound
computed from the duals valid for the whole problem, converged or not.
"""
from __future__ import annotations

import numpy as np
from highspy._core import HighsModelStatus, ObjSense, _Highs, kHighsInf
from scipy import sparse

ENTER_BATCH = 150_000
ENTER_ABOVE = 1e-9  # reduced cost (of scaled gains) above which a column enters
# Gains are scaled to at most 1; a seat weighs up to ~1e8 score units, so the dual
# tolerance must be far below 1e-8 for HiGHS to tell one unit of score apart.
DUAL_TOLERANCE = 1e-10
MAX_PRICING_ROUNDS = 30


class PackingRelaxation:
    """max gain.x subject to rows x <= bound, 0 <= x <= 1, over a growing set of columns.

    ``rows`` and ``bound`` are the problem's rows followed by every cut added
    so far; ``dual`` and ``x`` are those of the last solve, over all columns
    (columns not in the model have x = 0).
    """

    def __init__(self, gain: np.ndarray, matrix: sparse.csr_matrix, bound: np.ndarray):
        self.gain = gain
        self.scale = float(gain.max())
        self.rows = sparse.csr_matrix(matrix)
        self.columns = self.rows.tocsc()
        self.bound = np.asarray(bound, float)
        self.position = np.full(len(gain), -1, np.int64)
        self.dual = np.zeros(len(self.bound))
        self.x = np.zeros(len(gain))
        self.fixed: dict[int, float] = {}
        self.highs = _quiet_highs()
        self.highs.changeObjectiveSense(ObjSense.kMaximize)
        empty = np.zeros(0, np.int32)
        n_rows = len(self.bound)
        self.highs.addRows(n_rows, np.full(n_rows, -kHighsInf), self.bound, 0, empty, empty, np.zeros(0))

    @property
    def active(self) -> np.ndarray:
        """Mask of the columns in the model."""
        return self.position >= 0

    def add_columns(self, cols: np.ndarray) -> None:
        """Put columns into the model (with their entries in every row and cut so far)."""
        cols = cols[self.position[cols] < 0]
        if len(cols) == 0:
            return
        sub = self.columns[:, cols]
        self.position[cols] = self.highs.getNumCol() + np.arange(len(cols))
        self.highs.addCols(
            len(cols), self.gain[cols] / self.scale, np.zeros(len(cols)), np.ones(len(cols)), sub.nnz,
            sub.indptr[:-1].astype(np.int32), sub.indices.astype(np.int32), sub.data.astype(float),
        )

    def add_rows(self, cuts: sparse.csr_matrix, bounds: np.ndarray) -> None:
        """Add valid inequalities ``cuts x <= bounds`` over all columns (in the model or not)."""
        for i in range(cuts.shape[0]):
            cols = cuts.indices[cuts.indptr[i]:cuts.indptr[i + 1]]
            coef = cuts.data[cuts.indptr[i]:cuts.indptr[i + 1]]
            inside = self.position[cols] >= 0
            self.highs.addRow(-kHighsInf, float(bounds[i]), int(inside.sum()),
                              self.position[cols[inside]].astype(np.int32), coef[inside].astype(float))
        self.rows = sparse.vstack([self.rows, cuts]).tocsr()
        self.columns = self.rows.tocsc()
        self.bound = np.concatenate([self.bound, bounds])

    def fix(self, fixings: dict[int, float]) -> None:
        """Hold the given columns (all in the model) at 0 or 1, and release every other column to [0, 1]."""
        for col in self.fixed.keys() - fixings.keys():
            self.highs.changeColBounds(int(self.position[col]), 0.0, 1.0)
        for col, value in fixings.items():
            self.highs.changeColBounds(int(self.position[col]), value, value)
        self.fixed = dict(fixings)

    def ceiling_terms(self, reduced: np.ndarray) -> np.ndarray:
        """Per column, the most it can add to the ceiling: d if held at 1, 0 if held at 0, else max(d, 0)."""
        terms = np.maximum(reduced, 0.0)
        for col, value in self.fixed.items():
            terms[col] = reduced[col] * value
        return terms

    def solve(self) -> None:
        """Re-solve, pricing in every column with a positive reduced cost until none is left (or a round cap)."""
        for _ in range(MAX_PRICING_ROUNDS):
            self._solve_model()
            reduced = self.reduced_costs() / self.scale
            entering = np.flatnonzero((self.position < 0) & (reduced > ENTER_ABOVE))
            if len(entering) == 0:
                return
            self.add_columns(entering[np.argsort(-reduced[entering], kind="stable")[:ENTER_BATCH]])

    def reduced_costs(self) -> np.ndarray:
        """gain - rows' dual, for every column."""
        return self.gain - self.columns.T @ self.dual

    def _solve_model(self) -> None:
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != HighsModelStatus.kOptimal:
            raise RuntimeError(f"LP relaxation failed: {self.highs.modelStatusToString(status)}")
        solution = self.highs.getSolution()
        self.dual = np.maximum(np.asarray(solution.row_dual), 0.0) * self.scale
        self.x = np.zeros(len(self.gain))
        inside = np.flatnonzero(self.position >= 0)
        self.x[inside] = np.asarray(solution.col_value)[self.position[inside]]


def _quiet_highs() -> _Highs:
    """A HiGHS instance that prints nothing.

    highspy.Highs() calls a solver method in its constructor, which prints the
    licence banner to stdout before any option can be set (ERGO-Code/HiGHS
    #2749); match_file writes its result to stdout, so we use the core class.
    """
    highs = _Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("dual_feasibility_tolerance", DUAL_TOLERANCE)
    return highs
