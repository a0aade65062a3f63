"""Judges sample values with a generated Python package's own validators (its schemas.py), as a receiver does.

    /usr/bin/python3 python_judge.py PACKAGE_PARENT_DIR PACKAGE_NAME < samples.jsonl

Each input line: {"ns": "/", "direction": "client_to_server", "event": "...", "part": "payload"|"ack"|"auth", "value": ...}
Each output line, in the same order: {"valid": bool} (the input side's verdict), and for a valid value
"received" (the value a Python receiver delivers: the defaults filled in) and "output_valid" (the output side's
verdict on it).
"""
import importlib
import json
import sys

sys.path.insert(0, sys.argv[1])
schemas = importlib.import_module(sys.argv[2] + ".schemas")
specs = {spec.path: spec for spec in vars(schemas).values() if type(spec).__name__ == "NamespaceSpec"}

if sys.argv[3:] == ["--output-sides"]:
    # Each line: {"ns", "direction", "event", "part"}; prints the output side the Python validator holds.
    for line in sys.stdin:
        sample = json.loads(line)
        spec = specs[sample["ns"]]
        validator = spec.auth if sample["part"] == "auth" else getattr(getattr(spec, sample["direction"])[sample["event"]], sample["part"])
        print(json.dumps(validator.output), flush=True)
    sys.exit(0)

for line in sys.stdin:
    sample = json.loads(line)
    spec = specs[sample["ns"]]
    if sample["part"] == "auth":
        validator = spec.auth
    else:
        ev = getattr(spec, sample["direction"])[sample["event"]]
        validator = ev.payload if sample["part"] == "payload" else ev.ack
    value = sample["value"]
    verdict = {"valid": len(validator.issues(value)) == 0}
    if verdict["valid"]:
        received = validator.received(value)
        verdict["received"] = received
        verdict["output_valid"] = len(validator.output_issues(received)) == 0
    print(json.dumps(verdict), flush=True)
