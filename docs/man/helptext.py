"""docs/man/helptext.py - read custos's own help texts into a model.

The man pages and the shell completion are made from what the built
`custos --help` and `custos COMMAND --help` print, so they cannot drift
from the program. This module runs those and splits each text into
blocks; mkman.py and mkcompletion.py turn the blocks into roff and shell.

A help text is: "usage:" lines (a form per line, continuation lines
indented further), then blocks separated by blank lines. A block is a
paragraph, or a list of items ("  TERM   explanation", two or more spaces
between), or indented literal lines. Python standard library only.
"""
import re
import subprocess

ITEM = re.compile(r"^( {2,})(\S(?:\S| (?! ))*) {2,}(\S.*)$")
EXIT = re.compile(r"(?i)exit( codes?| status)?:")
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")
# after an option: " DIR", "=DIR", " KEY=VALUE", " KEY.pub", " BYTES/s",
# " dir|zip|tar" (a choice), " ALG[,ALG...]" (gives ALG)
ARGUMENT = re.compile(r"[ =]((?:[A-Z][A-Z0-9_]*(?:[=./][A-Za-z0-9_]+)*)"
                      r"|(?:[a-z0-9.]+(?:\|[a-z0-9.]+)+))(?![\w-])")


class Help:
    """One help text: usage forms and the blocks after them."""

    def __init__(self, text):
        self.forms = []     # each usage form as one line, "custos ..." first
        self.blocks = []    # ("para", [lines]) | ("items", [(term, text)])
                            # | ("literal", [lines])
        self._parse(text.rstrip("\n").split("\n"))

    def _parse(self, lines):
        i = 0
        while i < len(lines) and not lines[i].strip():
            i += 1
        if i < len(lines) and lines[i].startswith("usage:"):
            form_indent = len(lines[i]) - len(lines[i][6:].lstrip())
            self.forms.append(lines[i][6:].strip())
            i += 1
            while i < len(lines) and lines[i].strip():
                indent = len(lines[i]) - len(lines[i].lstrip())
                if indent <= form_indent and lines[i].lstrip().startswith("custos"):
                    self.forms.append(lines[i].strip())
                else:
                    self.forms[-1] += " " + lines[i].strip()
                i += 1
        block = []
        for line in lines[i:] + [""]:
            if line.strip():
                block.append(line.rstrip())
            elif block:
                self._add_block(block)
                block = []

    def _add_block(self, lines):
        """Split one blank-line-separated block into paragraphs, item lists
        and literal lines (a paragraph may end in a list: "commands:")."""
        kind, cur = None, []
        for line in lines:
            m = ITEM.match(line)
            indented = line.startswith("  ")
            if m:
                if kind != "items":
                    self._flush(kind, cur)
                    kind, cur = "items", []
                cur.append([m.group(2), m.group(3), len(m.group(1))])
            elif indented and kind == "items" and \
                    len(line) - len(line.lstrip()) > cur[-1][2]:
                cur[-1][1] += " " + line.strip()
            elif indented:
                if kind != "literal":
                    self._flush(kind, cur)
                    kind, cur = "literal", []
                cur.append(line.strip())
            else:
                if kind != "para" or EXIT.match(line):
                    # "exit: ..." starts a paragraph of its own
                    self._flush(kind, cur)
                    kind, cur = "para", []
                cur.append(line.strip())
        self._flush(kind, cur)

    def _flush(self, kind, cur):
        if not kind or not cur:
            return
        if kind == "items":
            cur = [(term, text) for term, text, _ in cur]
        self.blocks.append((kind, cur))

    def options(self):
        """Every option named in the usage forms or in an option item, in
        order of appearance: {name: argument or None}."""
        found = {}
        for form in self.forms:
            for name, arg in form_options(form):
                if name not in found or (arg and not found[name]):
                    found[name] = arg
        for kind, items in self.blocks:
            if kind != "items":
                continue
            for term, _ in items:
                if not term.startswith("-"):
                    continue
                for name, arg in form_options(term):
                    if name not in found or (arg and not found[name]):
                        found[name] = arg
        return found

    def option_text(self):
        """{option name: its explanation} from the option items."""
        text = {}
        for kind, items in self.blocks:
            if kind == "items":
                for term, expl in items:
                    for name, _ in form_options(term):
                        text.setdefault(name, expl)
        return text

    def subcommands(self, command):
        """Lower-case words that follow 'custos COMMAND' in a usage form:
        'log verify', 'report prove', 'policy check'."""
        subs = []
        for form in self.forms:
            words = form.split()
            if len(words) > 2 and words[1] == command and \
                    re.fullmatch(r"[a-z][a-z-]*", words[2]) and words[2] not in subs:
                subs.append(words[2])
        return subs


def form_options(text):
    """(option, argument or None) for each option in a usage form or an
    option term: '[--id ID]' gives ('--id', 'ID'), '-r, --repo DIR' gives
    both names with 'DIR'. An argument follows its option inside the same
    brackets; '[--help] COMMAND' is no argument of --help."""
    pairs = []
    for m in OPTION.finditer(text):
        arg = ARGUMENT.match(text, m.end())
        pairs.append([m.group(1), arg.group(1) if arg else None])
    # "-r, --repo DIR": the short name takes the long one's argument
    for i in range(len(pairs) - 1):
        if pairs[i][1] is None and text.find(pairs[i][0] + ", ") >= 0:
            pairs[i][1] = pairs[i + 1][1]
    return [tuple(p) for p in pairs]


def run_help(custos, *args):
    out = subprocess.run([custos, *args, "--help"], capture_output=True,
                         text=True, check=True)
    return out.stdout


def run_version(custos):
    """"custos 0.1.0" from `custos --version` gives "0.1.0"."""
    out = subprocess.run([custos, "--version"], capture_output=True,
                         text=True, check=True)
    return out.stdout.split()[-1]


def commands(overview):
    """[(name, summary)] from the "commands:" list of `custos --help`."""
    for kind, content in overview.blocks:
        if kind == "items" and all(re.fullmatch(r"[a-z][a-z-]*", t)
                                   for t, _ in content):
            return list(content)
    raise SystemExit("helptext: `custos --help` lists no commands")


def load(custos):
    """The overview and every command's help: (overview, [(name, summary,
    Help)])."""
    overview = Help(run_help(custos))
    return overview, [(name, summary, Help(run_help(custos, name)))
                      for name, summary in commands(overview)]
