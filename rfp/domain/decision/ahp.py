"""Criterion weights from pairwise comparisons: Saaty's Analytic Hierarchy Process.

Each participant fills a reciprocal matrix on Saaty's 1/9..9 scale (row i, column j: how
much more important criterion i is than criterion j). Several participants' matrices are
combined by the element-wise geometric mean, the one aggregation that keeps the result
reciprocal. The weights are the principal eigenvector; the consistency ratio
CR = CI / RI(n), with CI = (lambda_max - n) / (n - 1), says how far the judgments are
from a consistent set, against the average CI of random matrices (the random index).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

SCALE_MIN = 1.0 / 9.0
SCALE_MAX = 9.0
# Relative tolerance on the scale ends, the diagonal and reciprocity, so that values
# written to three decimals pass (0.333 for 1/3 is 1e-3 off, 0.111 for 1/9 is 1e-3,
# 0.167 for 1/6 is 2e-3).
TOLERANCE = 5e-3
CR_ACCEPTABLE = 0.10
SAATY_SCALE: tuple[float, ...] = tuple([1 / k for k in range(9, 1, -1)] + list(range(1, 10)))

Matrix = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class RandomIndexTable:
    """Average consistency index of random reciprocal matrices, by matrix size n."""

    name: str
    source: str
    values: Mapping[int, float]

    def random_index(self, n: int) -> float | None:
        return self.values.get(n)

    @property
    def largest(self) -> int:
        return max(self.values)


RANDOM_INDEX_TABLES: dict[str, RandomIndexTable] = {
    table.name: table
    for table in (
        RandomIndexTable(
            "saaty",
            "Saaty, The Analytic Hierarchy Process (McGraw-Hill, 1980); the classic table "
            "also used in Saaty (1990), EJOR 48:9-26",
            {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
             10: 1.49},
        ),
        RandomIndexTable(
            "saaty2005",
            "Saaty, Theory and Applications of the Analytic Network Process (RWS, 2005), "
            "p. 31; the table of Saaty (2008), Int. J. Services Sciences 1(1):83-98",
            {1: 0.0, 2: 0.0, 3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45,
             10: 1.49, 11: 1.52, 12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59},
        ),
        RandomIndexTable(
            "donegan-dodd",
            "Donegan and Dodd, A note on Saaty's random indexes, Mathematical and Computer "
            "Modelling 15(10):135-137 (1991)",
            {1: 0.0, 2: 0.0, 3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519,
             8: 1.3171, 9: 1.3733, 10: 1.4055, 11: 1.4213, 12: 1.4497, 13: 1.4643,
             14: 1.4822, 15: 1.4969, 16: 1.5078, 17: 1.5153, 18: 1.5262, 19: 1.5313,
             20: 1.5371},
        ),
    )
}  # fmt: skip
DEFAULT_RANDOM_INDEX = "saaty"


class AhpError(ValueError):
    """Invalid comparisons; `errors` lists every problem, each naming its field."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class Judgment:
    """The comparison that strays furthest from what the weights imply (a_ij vs w_i/w_j)."""

    row: int
    column: int
    row_key: str
    column_key: str
    given: float
    consistent: float  # w_i / w_j: the value consistent with the weights

    @property
    def suggested(self) -> float:
        """The value of Saaty's scale nearest (in ratio) to the consistent one."""
        return min(SAATY_SCALE, key=lambda s: abs(math.log(s / self.consistent)))

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "row_key": self.row_key,
            "column_key": self.column_key,
            "given": self.given,
            "consistent": self.consistent,
            "suggested": self.suggested,
        }


@dataclass(frozen=True)
class AhpResult:
    criteria: tuple[str, ...]
    matrix: Matrix  # the (combined) matrix the weights come from
    weights: tuple[float, ...]  # sum to 1, in the order of `criteria`
    lambda_max: float
    ci: float
    cr: float | None  # None when the table has no random index for this n
    random_index: float | None
    random_index_table: str
    participants: int
    most_inconsistent: Judgment | None  # None when the matrix is consistent

    @property
    def weights_by_key(self) -> dict[str, float]:
        return dict(zip(self.criteria, self.weights, strict=True))

    @property
    def acceptable(self) -> bool:
        """CR at or below 0.10 (Saaty's threshold); False when CR could not be computed."""
        return self.cr is not None and self.cr <= CR_ACCEPTABLE

    @property
    def warning(self) -> str | None:
        n = len(self.criteria)
        if self.cr is None:
            table = RANDOM_INDEX_TABLES[self.random_index_table]
            return (
                f"CR not computed: the {table.name} random index table covers 1 to "
                f"{table.largest} criteria, not {n}"
            )
        if self.cr <= CR_ACCEPTABLE:
            return None
        message = f"CR {self.cr:.3f} is above {CR_ACCEPTABLE:.2f}: the judgments are inconsistent"
        j = self.most_inconsistent
        if j is not None:
            message += (
                f"; revise {j.row_key} against {j.column_key} first: given "
                f"{judgment_text(j.given)}, while the weights imply {judgment_text(j.consistent)}"
            )
            if not _close(j.suggested, j.given):
                message += f" ({judgment_text(j.suggested)} on Saaty's scale)"
        return message

    def to_json(self) -> dict[str, Any]:
        return {
            "weights": self.weights_by_key,
            "lambda_max": self.lambda_max,
            "ci": self.ci,
            "cr": self.cr,
            "random_index": self.random_index,
            "random_index_table": self.random_index_table,
            "acceptable": self.acceptable,
            "warning": self.warning,
            "most_inconsistent": (
                self.most_inconsistent.to_json() if self.most_inconsistent else None
            ),
            "participants": self.participants,
            "criteria": list(self.criteria),
            "matrix": [list(row) for row in self.matrix],
        }


def judgment_text(value: float) -> str:
    """3 as "3", 1/3 as "1/3", a geometric mean 2.4662 as "2.47"."""
    if value >= 1:
        return f"{value:.3g}"
    return f"1/{1 / value:.3g}"


_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")


def parse_judgment(value: Any) -> float | None:
    """A number, or a fraction written as text ("1/3"); None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        match = _FRACTION.match(value)
        if match and float(match.group(2)) != 0:
            return float(match.group(1)) / float(match.group(2))
        try:
            number = float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def validate_matrix(matrix: Any, size: int, *, path: str = "matrix") -> Matrix:
    """Check a pairwise comparison matrix and return it exactly reciprocal.

    Raises AhpError listing every problem by position (`matrix[2][0]: ...`). Within the
    tolerance, each pair keeps the judgment that is >= 1 and gets its exact reciprocal.
    """
    errors: list[str] = []
    if size < 2:
        raise AhpError(["criteria: at least 2 criteria are needed for pairwise comparison"])
    if not isinstance(matrix, list | tuple):
        raise AhpError([f"{path}: must be a list of {size} rows"])
    if len(matrix) != size:
        raise AhpError([f"{path}: must have {size} rows, one per criterion (got {len(matrix)})"])
    values: list[list[float | None]] = []
    for i, row in enumerate(matrix):
        if not isinstance(row, list | tuple) or len(row) != size:
            got = f"{len(row)} entries" if isinstance(row, list | tuple) else "not a list"
            errors.append(f"{path}[{i}]: must be a list of {size} entries (got {got})")
            values.append([None] * size)
            continue
        parsed: list[float | None] = []
        for j, item in enumerate(row):
            value = parse_judgment(item)
            where = f"{path}[{i}][{j}]"
            if value is None:
                errors.append(
                    f'{where}: must be a number or a fraction such as "1/3", got {item!r}'
                )
            elif value <= 0:
                errors.append(f"{where}: must be greater than 0, got {value:g}")
                value = None
            elif i == j and not _close(value, 1.0):
                errors.append(f"{where}: must be 1 (a criterion against itself), got {value:g}")
                value = None
            elif value < SCALE_MIN * (1 - TOLERANCE) or value > SCALE_MAX * (1 + TOLERANCE):
                errors.append(f"{where}: must be between 1/9 and 9 (Saaty's scale), got {value:g}")
                value = None
            parsed.append(value)
        values.append(parsed)
    for i in range(size):
        for j in range(i + 1, size):
            upper, lower = values[i][j], values[j][i]
            if upper is not None and lower is not None and not _close(upper * lower, 1.0):
                errors.append(
                    f"{path}[{j}][{i}]: must be the reciprocal of {path}[{i}][{j}] "
                    f"(1/{upper:g} = {1 / upper:.3g}), got {lower:g}"
                )
    if errors:
        raise AhpError(errors)
    exact = np.ones((size, size))
    for i in range(size):
        for j in range(i + 1, size):
            upper, lower = values[i][j], values[j][i]
            assert upper is not None and lower is not None
            judgment = upper if upper >= 1 else 1 / lower
            judgment = min(SCALE_MAX, max(SCALE_MIN, judgment))
            exact[i, j], exact[j, i] = judgment, 1 / judgment
    return _as_matrix(exact)


def combine(matrices: Sequence[Matrix]) -> Matrix:
    """Element-wise geometric mean of several participants' matrices (stays reciprocal)."""
    if not matrices:
        raise AhpError(["matrices: at least one participant's matrix is needed"])
    stacked = np.log(np.array(matrices, dtype=float))
    return _as_matrix(np.exp(stacked.mean(axis=0)))


def priority_vector(matrix: Matrix) -> tuple[tuple[float, ...], float]:
    """The principal eigenvector (normalised to sum 1) and its eigenvalue lambda_max."""
    a = np.array(matrix, dtype=float)
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)  # Perron vector: one sign, made positive
    weights = vector / vector.sum()
    return tuple(float(w) for w in weights), float(eigenvalues[k].real)


def most_inconsistent(
    matrix: Matrix, weights: Sequence[float], criteria: Sequence[str]
) -> Judgment | None:
    """The (i, j) with the largest |ln(a_ij * w_j / w_i)|: the judgment furthest from the
    ratio of the weights, and so the first one to revisit. None when all agree."""
    best: tuple[float, int, int] | None = None
    n = len(weights)
    for i in range(n):
        for j in range(i + 1, n):
            deviation = abs(math.log(matrix[i][j] * weights[j] / weights[i]))
            if best is None or deviation > best[0] + 1e-12:
                best = (deviation, i, j)
    if best is None or best[0] < 1e-9:
        return None
    _, i, j = best
    return Judgment(i, j, criteria[i], criteria[j], matrix[i][j], weights[i] / weights[j])


def analyse(
    criteria: Sequence[str],
    matrices: Sequence[Any],
    *,
    random_index: str = DEFAULT_RANDOM_INDEX,
    field: str | None = None,
) -> AhpResult:
    """Weights, lambda_max, CI and CR for one or several participants' matrices.

    Raises AhpError naming every bad field: `matrix[i][j]` for a single matrix,
    `matrices[k][i][j]` for several (or as `field` says).
    """
    table = RANDOM_INDEX_TABLES.get(random_index)
    errors: list[str] = []
    if table is None:
        errors.append(
            f"random_index: unknown table {random_index!r} "
            f"(one of {', '.join(RANDOM_INDEX_TABLES)})"
        )
    keys = list(criteria) if isinstance(criteria, list | tuple) else []
    if not keys or not all(isinstance(k, str) and k.strip() for k in keys):
        errors.append("criteria: must be a list of criterion keys")
    elif len(set(keys)) != len(keys):
        errors.append("criteria: each criterion must appear once")
    elif len(keys) < 2:
        errors.append("criteria: at least 2 criteria are needed for pairwise comparison")
    if not matrices:
        errors.append("matrices: at least one participant's matrix is needed")
    if errors:
        raise AhpError(errors)
    assert table is not None
    checked: list[Matrix] = []
    for k, matrix in enumerate(matrices):
        name = field or ("matrix" if len(matrices) == 1 else "matrices")
        path = name if name == "matrix" else f"{name}[{k}]"
        try:
            checked.append(validate_matrix(matrix, len(keys), path=path))
        except AhpError as exc:
            errors.extend(exc.errors)
    if errors:
        raise AhpError(errors)

    combined = checked[0] if len(checked) == 1 else combine(checked)
    weights, lambda_max = priority_vector(combined)
    n = len(keys)
    # lambda_max >= n for any positive reciprocal matrix; below is rounding noise.
    if lambda_max - n < 1e-9 * n:
        lambda_max = float(n)
    ci = (lambda_max - n) / (n - 1)
    ri = table.random_index(n)
    if ri is None:
        cr = None
    elif ri == 0:
        cr = 0.0  # n = 2: a reciprocal 2 x 2 matrix is always consistent
    else:
        cr = ci / ri
    return AhpResult(
        criteria=tuple(keys),
        matrix=combined,
        weights=weights,
        lambda_max=lambda_max,
        ci=ci,
        cr=cr,
        random_index=ri,
        random_index_table=table.name,
        participants=len(checked),
        most_inconsistent=most_inconsistent(combined, weights, keys),
    )


def analyse_document(doc: Any, *, random_index: str = DEFAULT_RANDOM_INDEX) -> AhpResult:
    """The `rfp ahp` file: {"criteria": [...], "matrix": [[...]]} or "matrices": [...]."""
    if not isinstance(doc, dict):
        raise AhpError(["file: must be a JSON object with criteria and matrix"])
    unknown = sorted(set(doc) - {"criteria", "matrix", "matrices"})
    errors = [f"{key}: is not a known field" for key in unknown]
    if "criteria" not in doc:
        errors.append("criteria: is required")
    if ("matrix" in doc) == ("matrices" in doc):
        errors.append("matrix: give either matrix (one participant) or matrices (several)")
    if errors:
        raise AhpError(errors)
    if "matrix" in doc:
        return analyse(doc["criteria"], [doc["matrix"]], random_index=random_index, field="matrix")
    if not isinstance(doc["matrices"], list) or not doc["matrices"]:
        raise AhpError(["matrices: must be a non-empty list of matrices"])
    return analyse(doc["criteria"], doc["matrices"], random_index=random_index, field="matrices")


def _as_matrix(a: np.ndarray) -> Matrix:
    return tuple(tuple(float(x) for x in row) for row in a)
