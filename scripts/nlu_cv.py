"""Run ``rasa test nlu --cross-validation`` on the same folds every time.

Rasa 3.6 shuffles its folds with NumPy's global random state and no seed
(``rasa.nlu.test.generate_folds``), so two runs of the same data and config score
differently by chance. Seeding that state before Rasa starts makes the folds
repeatable, so a pipeline change is compared on the same split as before.

Usage: ``python -m scripts.nlu_cv [--seed N] -- <arguments for rasa test nlu>``.
"""

from __future__ import annotations

import argparse
import random
import sys
from typing import List, Optional, Sequence

import numpy

DEFAULT_SEED = 42


def fix_fold_seed(seed: int) -> None:
    """Seed the random state Rasa's fold shuffling draws from.

    Args:
        seed: any integer; the same seed gives the same folds for the same data.

    """
    numpy.random.seed(seed)
    random.seed(seed)


def rasa_arguments(rest: Sequence[str]) -> List[str]:
    """``rasa test nlu`` with the caller's arguments, always cross-validating.

    Args:
        rest: the arguments after ``--`` on our command line.

    Returns:
        The argument vector for Rasa's command line, without the program name.

    """
    arguments = ["test", "nlu", *rest]
    if "--cross-validation" not in arguments:
        arguments.append("--cross-validation")
    return arguments


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Seed the folds, then hand over to Rasa's own command line in this process."""
    argv = list(sys.argv[1:] if argv is None else argv)
    ours, rest = (argv[: argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="fold seed (default %(default)s)")
    options = parser.parse_args(ours)
    fix_fold_seed(options.seed)
    from rasa.__main__ import main as rasa_main  # imported late: Rasa's import is slow and noisy

    sys.argv = ["rasa", *rasa_arguments(rest)]
    try:
        rasa_main()
    except SystemExit as stop:
        return int(stop.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
