from __future__ import annotations

import argparse
import importlib
import json
import sys

from bench import BENCHMARKS, Result


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="run the benchmarks")
    parser.add_argument("--json", metavar="FILE", help="write the results as a JSON list here")
    parser.add_argument("names", nargs="*", help=f"which to run (default all: {list(BENCHMARKS)})")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        print(f"python -m bench: unknown benchmark {unknown[0]!r}; known: {list(BENCHMARKS)}")
        return 2
    results: list[Result] = []
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[name])
        for result in module.run():
            results.append(result)
            print(
                f"{result.name:<28} {result.value:10.4g} {result.unit:<6} "
                f"baseline {result.baseline:10.4g}  ratio {result.ratio:6.3f}  {result.notes}",
                flush=True,
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fp:
            json.dump([r.as_dict() for r in results], fp, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
