/**
 * pyright (pinned from npm) in strict mode over the generated Python packages, client and server (the chat's and
 * every golden fixture's), and the Python examples (a server class checked against the generated Protocol);
 * then a table of wrong snippets, each of which must fail naming the problem, beside a right one (the control) that
 * must pass. One pyright run checks everything: each file's diagnostics are read from its JSON output.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASES, FIXTURES } from "../fixtures/goldens";
import { REPO } from "../support/paths";

const PYRIGHT = createRequire(import.meta.url).resolve("pyright/index.js");
const CHAT_PACKAGE = path.join(REPO, "packages/python-client/chat_client");
const CHAT_SERVER_PACKAGE = path.join(REPO, "packages/python-server/chat_server");
const EXAMPLE = path.join(REPO, "examples/python");

const HEADER =
  "from chat_client import AreYouThereAck, AreYouTherePayload, ChatClient, ChatError, Reply\n\nclient = ChatClient()\n";

/** name → [snippet, text pyright's message must contain]. */
const WRONG: Record<string, [string, string]> = {
  "wrong event method": ['client.my_mesage({"data": "hi"})\n', 'Cannot access attribute "my_mesage"'],
  "wrong payload key": ['client.my_message({"dta": "hi"})\n', '"dta" is an undefined item in type "Message"'],
  "wrong type": ['client.my_message({"data": 5})\n', '"Literal[5]" is not assignable to "str"'],
  "missing required key": ["client.my_message({})\n", '"data" is required in "Message"'],
  "wrong error code": ['raise ChatError("NOT_IN_ROM", "no")\n', "\"Literal['NOT_IN_ROM']\" is not assignable to"],
  "wrong ack key": [
    'def answer(ask: AreYouTherePayload) -> AreYouThereAck:\n    return {"when": ask["at"]}\n',
    '"when" is an undefined item in type "AreYouThereAck"',
  ],
  "no payload where none is declared": ['client.chat({"data": "hi"})\n', "Expected 0 positional arguments"],
  "a server handler returning the wrong ack": [
    "from chat_server import ChatAdminContext, attach_chat_admin\n\nclass Admin:\n" +
      "    async def connect(self, ctx: ChatAdminContext, auth: object) -> None: ...\n" +
      "    async def disconnect(self, ctx: ChatAdminContext) -> None: ...\n" +
      "    async def stats(self, ctx: ChatAdminContext) -> dict[str, str]: return {}\n" +
      "    async def announce(self, payload: object, ctx: ChatAdminContext) -> None: ...\n" +
      "\nattach_chat_admin(None, Admin())\n",
    '"Admin" is incompatible with protocol "ChatAdminHandlers"',
  ],
  "reading a key the reply lacks": [
    'def show(reply: Reply) -> str:\n    return reply["sender"]\n',
    '"sender" is not a defined key in "Reply"',
  ],
  // io-sides: a key with a default may be left out by a sender (FooInput), and is always there for a receiver (Foo).
  "indexing a defaulted key of what a sender writes": [
    'from python_client import SettingsInput\n\ndef volume(sent: SettingsInput) -> int:\n    return sent["volume"]\n',
    '"volume" is not a required key in "SettingsInput"',
  ],
  "leaving a defaulted key out of what a receiver is given": [
    'from python_client import Settings\n\ngiven: Settings = {"tags": []}\n',
    '"volume" is required in "Settings"',
  ],
};

const RIGHT = `${HEADER}
def show(reply: Reply) -> str:
    return reply["from"] + reply["data"]


def answer(ask: AreYouTherePayload) -> AreYouThereAck:
    return {"at": ask["at"]}


client.on_my_reply(lambda reply: print(show(reply)))

# io-sides (test/fixtures/io-sides): a receiver indexes defaulted keys; a sender leaves them out.
from python_client import IoSidesClient, Settings, SettingsInput


def volume(received: Settings) -> int:
    return received["volume"] + received["display"]["zoom"]


sides = IoSidesClient({"user": "ada"})
sides.on_settings(lambda settings: print(volume(settings)))
nothing: SettingsInput = {}
revision: int = sides.save(nothing, timeout_ms=100)["revision"] + sides.save(nothing)["saved"]["volume"]
client.on_are_you_there(answer)
delivered: int = client.my_message({"data": "hi"}, timeout_ms=100)["delivered"]
try:
    client.exit_chat()
except ChatError as error:
    if error.code == "NOT_IN_ROOM":
        print(error.details)
`;

interface Diagnostic {
  readonly file: string;
  readonly severity: string;
  readonly message: string;
  readonly rule?: string;
}

describe("pyright --strict over the generated Python", () => {
  let dir: string;
  let diagnostics: Diagnostic[] = [];
  let summary: { filesAnalyzed: number } = { filesAnalyzed: 0 };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "iocontract-pyright-"));
    writeFileSync(path.join(dir, "right.py"), RIGHT);
    for (const [name, [snippet]] of Object.entries(WRONG))
      writeFileSync(path.join(dir, `${name.replace(/\W+/g, "_")}.py`), `${HEADER}${snippet}`);
    const packages = [
      CHAT_PACKAGE,
      CHAT_SERVER_PACKAGE,
      ...CASES.flatMap((name) =>
        ["python_client", "python_server"].map((p) => path.join(FIXTURES, name, "expected", p)),
      ),
    ];
    writeFileSync(
      path.join(dir, "pyrightconfig.json"),
      JSON.stringify({
        typeCheckingMode: "strict",
        pythonVersion: "3.11",
        pythonPlatform: "Linux",
        extraPaths: [
          path.dirname(CHAT_PACKAGE),
          path.dirname(CHAT_SERVER_PACKAGE),
          path.join(FIXTURES, "io-sides", "expected"),
        ],
        include: [".", EXAMPLE, ...packages].map((p) => path.relative(dir, path.resolve(dir, p)) || "."),
      }),
    );
    const run = spawnSync(process.execPath, [PYRIGHT, "-p", path.join(dir, "pyrightconfig.json"), "--outputjson"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 170_000,
    });
    const report = JSON.parse(run.stdout) as { generalDiagnostics: Diagnostic[]; summary: { filesAnalyzed: number } };
    diagnostics = report.generalDiagnostics.filter((d) => d.severity === "error");
    summary = report.summary;
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const errorsIn = (file: string) => diagnostics.filter((d) => d.file === file).map((d) => d.message);

  it("the generated packages and the example pass, and so does a right snippet (the control)", () => {
    // 5 .py files per client package and 6 per server package (the chat's and each fixture's), 2 examples, the snippets.
    expect(summary.filesAnalyzed).toBeGreaterThanOrEqual(11 * (CASES.length + 1) + 2 + Object.keys(WRONG).length + 1);
    const outside = diagnostics.filter((d) => !d.file.startsWith(dir) || d.file === path.join(dir, "right.py"));
    expect(outside.map((d) => `${d.file}: ${d.message}`)).toEqual([]);
  });

  it.each(Object.entries(WRONG))("%s fails, naming the problem", (name, [, expected]) => {
    const errors = errorsIn(path.join(dir, `${name.replace(/\W+/g, "_")}.py`));
    expect(errors.length, `no pyright error for ${name}`).toBeGreaterThan(0);
    expect(errors.join("\n")).toContain(expected);
  });
});
