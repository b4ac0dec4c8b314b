"""Design of the perturbation table for the cell-key method: builds ``ptable.json`` from three
parameters. Run ``python -m caseworker.stats.ptable_design > ptable.json`` to regenerate the
shipped table (``resources/disclosure/ptable.json``); the runtime lookup is in
``caseworker.stats.perturbation``. Standard library only, deterministic.

Parameters
    ``D`` (``max_noise``)  no published figure differs from the exact one by more than ``D``.
    ``V`` (``variance``)   the variance of the noise for every value far from the blocked range.
    ``js`` (``blocked``)   no figure 1..js is ever published (``js = k - 1`` for the threshold
                           ``k``): every published value is 0 or > js.

The rows
    Row ``i`` is the distribution of the published value ``j`` for the exact value ``i``.

    * Row 0: 0 -> 0 with probability 1 (zeros stay zero, as in the ABS and ONS designs).
    * Row ``i >= 1``: the allowed targets are ``j`` with ``|j - i| <= D``, ``j >= 0`` and ``j``
      not in 1..js. Over the noise ``e = j - i`` of the allowed targets,
      ``p(e)`` is proportional to ``exp(a*e + b0*e**2)``.
      ``b0`` is the same for every row: it is solved (bisection) so that the symmetric row over
      ``e = -D..D`` with ``a = 0`` has variance exactly ``V``. ``a`` is solved per row
      (bisection) so that the mean noise is 0 to within 1e-12; a row whose allowed noises are
      symmetric has ``a = 0``.
    * If mean zero is impossible because every allowed noise is ``>= 0`` or every one is
      ``<= 0`` (this happens only when ``D`` is small next to ``js``; never for the defaults),
      the row is ``i -> i`` with probability 1 if ``i`` is allowed, and otherwise all
      probability goes to the allowed target nearest to ``i`` (unique: they all lie on one
      side). Such a row is biased; the file shows its mean.
    * A row with no allowed target at all makes the parameters impossible (``ValueError``).
    * From ``i = js + D + 1`` (``interior_from``) on, no target is blocked or negative: every
      such row has the same noise distribution, the interior row. The table stores rows
      0..interior_from; a larger value uses the noise of the last row.

What this is, honestly
    A distribution of the form ``exp(a*e + b*e**2)`` on a finite support is the maximum-entropy
    distribution on that support for its mean and second moment. So every row is the
    maximum-entropy distribution on its allowed targets with mean noise 0 and its own second
    moment; the second-moment multiplier ``b0`` is fixed across rows and each row is only tilted
    (``a``) to mean zero. The interior row has variance exactly ``V``. Rows near the blocked
    range do **not** have variance ``V``: with targets 1..js forbidden, a row such as ``i = 1``
    must send some probability to ``js + 1`` or beyond to stay unbiased, and its variance is
    what the fixed multiplier gives (shown per row in the file). This differs from the full
    optimisation in the R package ``ptable``, which maximises entropy per row under explicit
    constraints; the numbers here will not match its tables.

Sources (facts only; the code is our own)
    * Marley, J. K. & Leaver, V. L. (2011), "A method for confidentialising user-defined tables:
      statistical properties and a risk-utility analysis", ISI World Statistics Congress — the
      cell-key method of the ABS (record keys, cell key as sum of record keys modulo a modulus,
      noise looked up by value and cell key).
    * Giessing, S. (2016), "Computational issues in the design of transition probabilities and
      disclosure risk estimation for additive noise", Privacy in Statistical Databases, LNCS
      9867, doi:10.1007/978-3-319-45381-1_18 — transition probabilities by maximum entropy under
      maximum noise, zero mean and fixed variance; the unconstrained symmetric solution has the
      form ``exp(b*e**2)``, like a discretised normal distribution.
    * The R package ``ptable`` (sdcTools; Enderle, Destatis) builds perturbation tables for
      counts from ``D``, ``V`` and ``js`` by a maximum-entropy approach with the constraints
      maximum noise, zero mean, fixed variance, and no published value negative or in 1..js.

Lookup with integer thresholds
    A cell key is an integer in ``[0, KEY_MODULUS)``, ``KEY_MODULUS = 2**32``. Each stored row is
    a list of ``(target, upper)``: ``upper`` is the cumulative probability times
    ``KEY_MODULUS``, rounded to an integer, strictly increasing, the last one equal to
    ``KEY_MODULUS``. A key selects the first entry with ``key < upper``. Every target with
    probability > 0 keeps a width of at least 1 (the bounds are nudged if rounding would drop
    it), so no allowed target is silently impossible and the lookup is exact on every platform.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Sequence

KEY_MODULUS = 2**32
NAME_PREFIX = "caseworker-ckm"
DEFAULTS = {"max_noise": 6, "variance": 1.5, "blocked": 4}
MEAN_TOLERANCE = 1e-12
DIGITS = 12
_MAX_BRACKET_STEPS = 2000
_MAX_BISECTION_STEPS = 2000


def _weights(noises: Sequence[int], a: float, b: float) -> list[float]:
    """Normalised ``exp(a*e + b*e**2)`` over ``noises``, without overflow."""
    exponents = [a * e + b * e * e for e in noises]
    top = max(exponents)
    raw = [math.exp(x - top) for x in exponents]
    total = math.fsum(raw)
    return [w / total for w in raw]


def _moments(noises: Sequence[int], probabilities: Sequence[float]) -> tuple[float, float]:
    mean = math.fsum(e * p for e, p in zip(noises, probabilities))
    variance = math.fsum((e - mean) ** 2 * p for e, p in zip(noises, probabilities))
    return mean, variance


def _bisect_increasing(f: Callable[[float], float], target: float) -> float:
    """``x`` with ``f(x)`` as close to ``target`` as floats allow, for ``f`` increasing."""
    lo, hi = -1.0, 1.0
    for _ in range(_MAX_BRACKET_STEPS):
        if f(lo) < target:
            break
        lo *= 2
    else:
        raise ArithmeticError("no lower bracket")
    for _ in range(_MAX_BRACKET_STEPS):
        if f(hi) > target:
            break
        hi *= 2
    else:
        raise ArithmeticError("no upper bracket")
    for _ in range(_MAX_BISECTION_STEPS):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        value = f(mid)
        if value == target:
            return mid
        if value < target:
            lo = mid
        else:
            hi = mid
    return min((lo, hi), key=lambda x: abs(f(x) - target))


def solve_b0(max_noise: int, variance: float) -> float:
    """The second-moment multiplier: the symmetric row over ``-D..D`` with ``a = 0`` has
    variance ``variance``."""
    noises = list(range(-max_noise, max_noise + 1))
    return _bisect_increasing(lambda b: _moments(noises, _weights(noises, 0.0, b))[1], variance)


def allowed_targets(value: int, max_noise: int, blocked: int) -> list[int]:
    """The targets row ``value`` may publish, ascending."""
    if value == 0:
        return [0]
    return [j for j in range(max(0, value - max_noise), value + max_noise + 1) if not 1 <= j <= blocked]


def row_probabilities(value: int, max_noise: int, blocked: int, b0: float) -> list[tuple[int, float]]:
    """``[(target, probability), ...]`` of row ``value``, ascending by target."""
    targets = allowed_targets(value, max_noise, blocked)
    if not targets:
        raise ValueError(f"no value can be published for {value} with max_noise={max_noise}, blocked={blocked}")
    noises = [j - value for j in targets]
    if value == 0:
        return [(0, 1.0)]
    if min(noises) >= 0 or max(noises) <= 0:
        nearest = min(targets, key=lambda j: abs(j - value))
        return [(nearest, 1.0)]
    if sorted(-e for e in noises) == noises:
        a = 0.0
    else:
        a = _bisect_increasing(lambda x: _moments(noises, _weights(noises, x, b0))[0], 0.0)
    probabilities = _weights(noises, a, b0)
    mean = _moments(noises, probabilities)[0]
    if abs(mean) > MEAN_TOLERANCE:
        raise ArithmeticError(f"row {value}: mean noise {mean} not within {MEAN_TOLERANCE}")
    return [(j, p) for j, p in zip(targets, probabilities) if p > 0.0]


def integer_bounds(probabilities: Sequence[float], modulus: int = KEY_MODULUS) -> list[int]:
    """Cumulative integer upper bounds in ``1..modulus``, strictly increasing, the last equal to
    ``modulus``: ``round(cumulative probability * modulus)``, nudged so every entry keeps a width
    of at least 1."""
    count = len(probabilities)
    if count == 0 or count > modulus:
        raise ValueError("cannot share the keys among these probabilities")
    uppers = []
    running: list[float] = []
    for p in probabilities:
        running.append(p)
        uppers.append(round(math.fsum(running) * modulus))
    for k in range(count - 1):
        uppers[k] = max(uppers[k], (uppers[k - 1] if k else 0) + 1)
    uppers[-1] = modulus
    for k in range(count - 2, -1, -1):
        uppers[k] = min(uppers[k], uppers[k + 1] - 1)
    return uppers


def table_name(max_noise: int, variance: float, blocked: int) -> str:
    return f"{NAME_PREFIX}-D{max_noise}-V{round(variance * 100)}-js{blocked}"


def _clean(x: float) -> float:
    return round(x, DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0


def _check_parameters(max_noise: int, variance: float, blocked: int) -> None:
    for name, value in (("max_noise", max_noise), ("blocked", blocked)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{name} must be a whole number")
    if max_noise < 1:
        raise ValueError("max_noise must be at least 1")
    if blocked < 0:
        raise ValueError("blocked must be at least 0")
    if not isinstance(variance, (int, float)) or isinstance(variance, bool) or not math.isfinite(variance):
        raise ValueError("variance must be a finite number")
    if not 0 < variance < max_noise**2:
        raise ValueError(f"variance must lie strictly between 0 and max_noise**2 = {max_noise**2}")
    if abs(variance * 100 - round(variance * 100)) > 1e-9:
        raise ValueError("variance must be a multiple of 0.01 (it names the table)")


def build(max_noise: int, variance: float, blocked: int) -> dict:
    """The JSON-ready perturbation table for ``D = max_noise``, ``V = variance``,
    ``js = blocked``."""
    _check_parameters(max_noise, variance, blocked)
    b0 = solve_b0(max_noise, float(variance))
    interior_from = blocked + max_noise + 1
    rows = []
    for value in range(interior_from + 1):
        pairs = row_probabilities(value, max_noise, blocked, b0)
        targets = [j for j, _ in pairs]
        probabilities = [p for _, p in pairs]
        mean, var = _moments([j - value for j in targets], probabilities)
        rows.append({
            "value": value,
            "targets": [[j, upper] for j, upper in zip(targets, integer_bounds(probabilities))],
            "probabilities": [[j, _clean(p)] for j, p in pairs],
            "mean": _clean(mean),
            "variance": _clean(var),
        })
    return {
        "name": table_name(max_noise, variance, blocked),
        "key_modulus": KEY_MODULUS,
        "max_noise": max_noise,
        "variance": float(variance),
        "blocked_up_to": blocked,
        "rows": rows,
        "interior_from": interior_from,
    }


def dumps(document: dict) -> str:
    """The file's text: indent 1, sorted keys, a trailing newline."""
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main() -> None:
    sys.stdout.write(dumps(build(DEFAULTS["max_noise"], DEFAULTS["variance"], DEFAULTS["blocked"])))


if __name__ == "__main__":
    main()
