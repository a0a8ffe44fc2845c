"""Render docs/使用说明.md into docs/使用说明.html, the page that 帮助 → 使用说明 opens offline.

Only the Markdown the guide uses is understood (headings, paragraphs, lists, nested lists, quotes, code blocks,
tables, images, **bold**, `code`); anything else stays visible as plain text, so nothing is lost silently.
The output depends only on the .md file, never on which screenshots exist, so the committed HTML can be checked
against a fresh rendering (tests/packaging). Screenshots are referenced as images/*.png beside the HTML.

Run after editing the guide:  python docs/build_guide.py
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SOURCE = DOCS / "使用说明.md"
TARGET = DOCS / "使用说明.html"

CSS = """
body { font-family: "Microsoft YaHei", "微软雅黑", "PingFang SC", "WenQuanYi Micro Hei", sans-serif;
       font-size: 16px; line-height: 1.75; color: #222; max-width: 56em; margin: 0 auto; padding: 1em 2em 4em; }
h1 { font-size: 1.8em; border-bottom: 3px solid #1b4680; padding-bottom: .3em; color: #1b4680; }
h2 { font-size: 1.4em; border-bottom: 1px solid #ccd; padding-bottom: .2em; margin-top: 2em; color: #1b4680; }
h3 { font-size: 1.15em; margin-top: 1.6em; }
code { font-family: Consolas, "Courier New", monospace; background: #f2f4f7; padding: 0 .25em; border-radius: 3px; }
pre { background: #f2f4f7; padding: .8em 1em; overflow-x: auto; border-radius: 4px; line-height: 1.5; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #bbc; padding: .35em .7em; vertical-align: top; }
th { background: #e8eef6; }
blockquote { margin: 1em 0; padding: .5em 1em; background: #fff8e1; border-left: 4px solid #f0b400; }
blockquote p { margin: .3em 0; }
figure { margin: 1.2em 0; }
img { max-width: 100%; border: 1px solid #ccd; }
figcaption { color: #555; font-size: .92em; }
"""


def inline(text: str) -> str:
    """Escape, then apply **bold**, `code` and ![alt](src) (only as a whole paragraph, see block())."""
    parts = re.split(r"(`[^`]+`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
        else:
            escaped = html.escape(part)
            out.append(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped))
    return "".join(out)


def join_lines(lines: list[str]) -> str:
    """Join wrapped source lines: Chinese needs no space between them, two Latin words do."""
    text = ""
    for line in lines:
        line = line.strip()
        if text and re.match(r"[A-Za-z0-9`]", line) and re.search(r"[A-Za-z0-9`.,;:)]$", text):
            text += " "
        text += line
    return text


IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]+)\)$")
ORDERED = re.compile(r"^(\s*)(\d+)\.\s+(.*)$")
BULLET = re.compile(r"^(\s*)-\s+(.*)$")


class Renderer:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.i = 0
        self.out: list[str] = []
        self.section = 0
        self.in_toc = False

    def run(self) -> str:
        while self.i < len(self.lines):
            self.block()
        return "\n".join(self.out)

    def block(self) -> None:
        line = self.lines[self.i]
        if not line.strip():
            self.i += 1
        elif line.startswith("```"):
            self.code()
        elif line.startswith("#"):
            self.heading(line)
        elif line.startswith("|"):
            self.table()
        elif line.startswith(">"):
            self.quote()
        elif ORDERED.match(line) or BULLET.match(line):
            self.out.append(self.list_at(0))
        elif IMAGE.match(line.strip()):
            m = IMAGE.match(line.strip())
            alt, src = html.escape(m["alt"]), html.escape(m["src"])
            self.out.append(f'<figure><img src="{src}" alt="{alt}"><figcaption>{alt}</figcaption></figure>')
            self.i += 1
        else:
            self.paragraph()

    def heading(self, line: str) -> None:
        level = len(line) - len(line.lstrip("#"))
        text = line[level:].strip()
        self.i += 1
        if level == 2:
            self.in_toc = text == "目录"
            if not self.in_toc:
                self.section += 1
                self.out.append(f'<h2 id="s{self.section}">{inline(text)}</h2>')
                return
        self.out.append(f"<h{level}>{inline(text)}</h{level}>")

    def paragraph(self) -> None:
        text = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if (not line.strip() or line.startswith(("#", "|", ">", "```")) or ORDERED.match(line)
                    or BULLET.match(line) or IMAGE.match(line.strip())):
                break
            text.append(line.strip())
            self.i += 1
        self.out.append(f"<p>{inline(join_lines(text))}</p>")

    def code(self) -> None:
        self.i += 1
        body = []
        while self.i < len(self.lines) and not self.lines[self.i].startswith("```"):
            body.append(self.lines[self.i])
            self.i += 1
        self.i += 1
        self.out.append(f"<pre><code>{html.escape(chr(10).join(body))}</code></pre>")

    def quote(self) -> None:
        body = []
        while self.i < len(self.lines) and self.lines[self.i].startswith(">"):
            body.append(self.lines[self.i][1:].strip())
            self.i += 1
        self.out.append(f"<blockquote><p>{inline(join_lines(body))}</p></blockquote>")

    def table(self) -> None:
        rows = []
        while self.i < len(self.lines) and self.lines[self.i].startswith("|"):
            cells = [c.strip() for c in self.lines[self.i].strip().strip("|").split("|")]
            self.i += 1
            if all(re.fullmatch(r":?-+:?", c) for c in cells):
                continue
            rows.append(cells)
        head, *body = rows
        out = ["<table>", "<tr>" + "".join(f"<th>{inline(c)}</th>" for c in head) + "</tr>"]
        out += ["<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in body]
        out.append("</table>")
        self.out.append("\n".join(out))

    def list_at(self, indent: int) -> str:
        """A list whose items start at `indent` spaces; deeper-indented items become a nested list."""
        ordered = bool(ORDERED.match(self.lines[self.i]))
        items: list[str] = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            m = ORDERED.match(line) or BULLET.match(line)
            if not line.strip():
                break
            if m and len(m.group(1)) == indent:
                text = m.group(3) if m.re is ORDERED else m.group(2)
                self.i += 1
                nested = ""
                while self.i < len(self.lines) and self.lines[self.i].strip():
                    nxt = self.lines[self.i]
                    sub = ORDERED.match(nxt) or BULLET.match(nxt)
                    if sub and len(sub.group(1)) > indent:
                        nested += self.list_at(len(sub.group(1)))
                    elif not sub and nxt.startswith(" " * (indent + 2)):
                        text = join_lines([text, nxt])  # continuation of the item's text
                        self.i += 1
                    else:
                        break
                content = inline(text)
                if self.in_toc and indent == 0:
                    content = f'<a href="#s{len(items) + 1}">{content}</a>'
                items.append(f"<li>{content}{nested}</li>")
            elif m and len(m.group(1)) < indent:
                break
            else:
                break
        tag = "ol" if ordered else "ul"
        return f"<{tag}>" + "".join(items) + f"</{tag}>"


def render(markdown: str) -> str:
    lines = markdown.splitlines()
    title = next((line[2:].strip() for line in lines if line.startswith("# ")), "使用说明")
    body = Renderer(lines).run()
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<!-- Generated from 使用说明.md by docs/build_guide.py; edit the .md file, not this one. -->\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def image_sources(markdown: str) -> list[str]:
    return [m["src"] for line in markdown.splitlines() if (m := IMAGE.match(line.strip()))]


def main() -> int:
    markdown = SOURCE.read_text(encoding="utf-8")
    TARGET.write_text(render(markdown), encoding="utf-8", newline="\n")
    missing = [src for src in image_sources(markdown) if not (DOCS / src).is_file()]
    print(f"wrote {TARGET}")
    if missing:
        print("screenshots not generated yet (see docs/images/README.md): " + ", ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
