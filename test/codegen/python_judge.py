"""Judges sample values with a generated Python package's own validators (its schemas.py).

    /usr/bin/python3 python_judge.py PACKAGE_PARENT_DIR PACKAGE_NAME < samples.jsonl

Each input line: {"ns": "/", "direction": "client_to_server", "event": "...", "part": "payload"|"ack", "value": ...}
Each output line: {"valid": true|false}, in the same order.
"""
import importlib
import json
import sys

sys.path.insert(0, sys.argv[1])
schemas = importlib.import_module(sys.argv[2] + ".schemas")
specs = {spec.path: spec for spec in vars(schemas).values() if type(spec).__name__ == "NamespaceSpec"}

for line in sys.stdin:
    sample = json.loads(line)
    spec = specs[sample["ns"]]
    ev = getattr(spec, sample["direction"])[sample["event"]]
    validator = ev.payload if sample["part"] == "payload" else ev.ack
    print(json.dumps({"valid": len(validator.issues(sample["value"])) == 0}), flush=True)
