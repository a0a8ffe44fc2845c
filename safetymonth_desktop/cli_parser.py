"""argparse speaking Chinese: the parser classes of the command line (`cli.py` builds the commands with them).

argparse writes its own words in English ("usage:", "positional arguments", "options", "show this help
message and exit", "invalid choice … (choose from …)", "%(prog)s: error:"). Here they are replaced at
their source, not by editing the printed text: the formatter's usage prefix, the titles of the argument
groups, our own `-h/--help`, the choice check, and `error()`, which turns the few messages argparse builds
itself (missing, unrecognised, ambiguous arguments …) into Chinese through `translate()`. Help is laid
out by display width, since a Chinese character takes two columns of a console.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata

HELP_TEXT = "显示帮助并退出"
VERSION_TEXT = "显示版本号并退出"
USAGE_PREFIX = "用法:"
POSITIONALS_TITLE = "位置参数"
OPTIONALS_TITLE = "选项"

# argparse's own messages (Python 3.11–3.14 wording) → Chinese. Each pattern matches a whole message; the
# groups are argument names or values, shown as they are. `argument X: …` is translated recursively.
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"argument (?P<name>.+?): (?P<inner>.+)", "参数 {name}:{inner}"),
    (r"the following arguments are required: (?P<names>.+)", "缺少必需的参数:{names}"),
    (r"unrecognized arguments?: (?P<names>.+)", "无法识别的参数:{names}"),
    (r"expected one argument", "需要一个参数值"),
    (r"expected at most one argument", "最多只能有一个参数值"),
    (r"expected at least one argument", "至少需要一个参数值"),
    (r"expected (?P<n>\d+) arguments?", "需要 {n} 个参数值"),
    (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)", "无效的选项 {value}(可选:{choices})"),
    (r"invalid (?P<type>\S+) value: (?P<value>.+)", "{value} 不是有效的{type}"),
    (r"not allowed with argument (?P<name>.+)", "不能与参数 {name} 同时使用"),
    (r"ignored explicit argument (?P<value>.+)", "此选项不带参数值,多余的值:{value}"),
    (r"ambiguous option: (?P<name>\S+) could match (?P<matches>.+)", "选项 {name} 不明确,可能是:{matches}"),
    (r"option (?P<name>\S+) is ambiguous.*?could match (?P<matches>.+)", "选项 {name} 不明确,可能是:{matches}"),
    (r"one of the arguments (?P<names>.+) is required", "以下参数必须给出一个:{names}"),
    (r"unexpected option string: (?P<name>.+)", "意外的选项:{name}"),
    (r"can't open '(?P<name>.+)': (?P<error>.+)", "无法打开“{name}”:{error}"),
)
_TYPE_NAMES = {"int": "整数", "float": "数值", "str": "文字"}


def translate(message: str) -> str:
    """One of argparse's English messages in Chinese (a message it has no rule for is kept as it is)."""
    message = message.strip()
    for pattern, chinese in _MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            parts = match.groupdict()
            if "inner" in parts:
                parts["inner"] = translate(parts["inner"])
            if "type" in parts:
                parts["type"] = _TYPE_NAMES.get(parts["type"], parts["type"])
            return chinese.format(**parts)
    return message


def display_width(text: str) -> int:
    """Columns `text` takes on a console: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NO_LINE_START = set(",。、;:)》”’!?,.;:)]}")
_NO_LINE_END = set("(《“‘([{")
_TOKEN = re.compile(r"[!-~]+|\s+|.", re.DOTALL)  # a run of printable ASCII stays whole; other characters one by one


def wrap(text: str, width: int) -> list[str]:
    """`text` (whitespace collapsed) in lines of at most `width` columns, breaking between Chinese characters
    or at spaces, never inside an ASCII word, and never before closing punctuation."""
    text = re.sub(r"\s+", " ", text).strip()
    lines: list[str] = []
    line, used = "", 0
    for token in _TOKEN.findall(text):
        w = display_width(token)
        if token.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        if line and used + w > width and token not in _NO_LINE_START:
            carried = ""
            while line and line[-1] in _NO_LINE_END:  # an opening bracket or quote goes with what it opens
                carried, line = line[-1] + carried, line[:-1]
            lines.append(line.rstrip())
            line, used = carried, display_width(carried)
        line, used = line + token, used + w
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Help in Chinese ("用法:"), laid out by display width."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)

    def _format_usage(self, usage, actions, groups, prefix):
        # argparse wraps the usage by len(); re-wrap narrower until its lines fit by display width, and indent
        # the continuation lines by the columns the Chinese prefix really takes.
        width = self._width
        try:
            while True:
                text = super()._format_usage(usage, actions, groups, prefix)
                over = max(display_width(line) for line in text.splitlines()) - (width - self._current_indent)
                if over <= 0 or self._width - over < 40:
                    break
                self._width -= over
        finally:
            self._width = width
        shift = " " * (display_width(USAGE_PREFIX) - len(USAGE_PREFIX)) if prefix in (None, USAGE_PREFIX) else ""
        lines = text.split("\n")
        return "\n".join([lines[0]] + [shift + line if line.startswith(" ") else line for line in lines[1:]])

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            invocation = self._format_action_invocation(action)
            self._action_max_length = max(self._action_max_length, display_width(invocation) + self._current_indent)

    def _format_action(self, action):
        text = super()._format_action(action)
        header = " " * self._current_indent + self._format_action_invocation(action)
        extra = display_width(header) - len(header)
        if extra and action.help and text.startswith(header):
            rest = text[len(header):]
            padding = len(rest) - len(rest.lstrip(" "))
            if rest[:1] != " " or rest.startswith("\n"):
                pass  # the help already starts on the next line
            elif padding >= extra + 2:  # the help fits on the same line: keep its column
                text = header + rest[extra:]
            else:  # too wide once its characters are counted as columns: help on the next line, as argparse does
                column = min(self._action_max_length + 2, self._max_help_position)
                text = header + "\n" + " " * column + rest.lstrip(" ")
        return text

    def _split_lines(self, text, width):
        return wrap(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap(text, width))


class ChineseSubParsersAction(argparse._SubParsersAction):
    """Subcommands: each gets a Chinese parser whose help starts with a description line (its `help` when the
    command gives no longer `description`)."""

    def add_parser(self, name, **kwargs):
        if kwargs.get("description") is None and kwargs.get("help"):
            kwargs["description"] = kwargs["help"] + "。"
        return super().add_parser(name, **kwargs)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its help and its usage errors in Chinese; a usage error exits with status 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = POSITIONALS_TITLE
        self._optionals.title = OPTIONALS_TITLE
        self.register("action", "parsers", ChineseSubParsersAction)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_TEXT)

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", type(self))
        return super().add_subparsers(**kwargs)

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            choices = "、".join(map(str, action.choices))
            if isinstance(action, argparse._SubParsersAction):
                raise argparse.ArgumentError(None, f"没有“{_shown(value)}”这个命令(可用的命令:{choices})")
            raise argparse.ArgumentError(action, f"无效的选项“{_shown(value)}”(可选:{choices})")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"错误:{translate(message)}", file=sys.stderr)
        print(f"运行“{self.prog} --help”可查看用法。", file=sys.stderr)
        sys.exit(2)


def _shown(value, limit: int = 20) -> str:
    """A value as echoed in a message: at most `limit` characters, control characters as '?'."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return text if len(text) <= limit else text[:limit - 1] + "…"
