"""`python -m tests.golden renew` rewrites the golden baseline; `python -m tests.golden check` compares."""

from __future__ import annotations

import sys

from tests import golden


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "renew":
        path = golden.write(golden.run())
        print(f"wrote {path} ({golden.SCENARIO}, seed {golden.SEED}, scale {golden.SCALE}, {golden.MONTHS} months);"
              " commit it with the change that moved the numbers")
        return 0
    if command == "check":
        diffs = golden.differences(golden.run(), golden.read())
        print("\n".join(diffs) if diffs else "the run agrees with the golden baseline")
        return 1 if diffs else 0
    print("usage: python -m tests.golden renew|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
