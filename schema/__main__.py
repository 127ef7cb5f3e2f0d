"""Command line: check schema files, or write the JSON Schema of the format.

python -m schema check schema.yaml [more.yaml ...]
python -m schema jsonschema [--write]
"""

from __future__ import annotations

import argparse
import json
import sys

from . import JSON_SCHEMA_PATH, SchemaError, json_schema, load_file, normalize


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m schema", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate schema files; nothing is generated")
    check.add_argument("files", nargs="+")
    export = commands.add_parser("jsonschema", help="print the JSON Schema of the format")
    export.add_argument("--write", action="store_true", help=f"write it to {JSON_SCHEMA_PATH}")
    args = parser.parse_args(argv)

    if args.command == "jsonschema":
        text = json.dumps(json_schema(), indent=2) + "\n"
        if args.write:
            JSON_SCHEMA_PATH.write_text(text)
        else:
            sys.stdout.write(text)
        return 0

    failed = 0
    for path in args.files:
        try:
            project = normalize(load_file(path))
        except SchemaError as error:
            failed += 1
            print(f"{path}: {error}", file=sys.stderr)
        else:
            print(f"{path}: OK ({len(project.models)} models)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
