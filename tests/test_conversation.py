"""The conversation widget (gkassist/tui/conversation.py): turns wrapped to the width and drawn
line by line, kept at the foot unless the clerk scrolls up, selectable; and in the app, the next
question drawn in the very frame that follows the clerk's key."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.selection import Selection

from gkassist.tui.app import make_app
from gkassist.tui.chat import ChatScreen
from gkassist.tui.compat import watch_frames
from gkassist.tui.conversation import BOXES, KEEP_TURNS, Conversation, TurnView

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from effort import ZERO_REQUEST_TOWNSHIP  # noqa: E402

LONG = "本机关今年共收到政府信息公开申请十二件，已全部按期答复，其中予以公开七件，部分公开两件，无法提供三件。"


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Conversation(id="conversation")


def _lines(conversation: Conversation) -> list[str]:
    return [conversation.render_line(y).text for y in range(conversation.scrollable_content_region.height)]


async def test_a_turn_is_wrapped_to_the_width_and_every_line_fills_it() -> None:
    app = Host()
    async with app.run_test(size=(40, 20)) as pilot:
        conversation = app.query_one(Conversation)
        question = TurnView(LONG, "assistant", extra="-current")
        conversation.add([question, TurnView("（回答）", "clerk"), TurnView("记下了。", "note")])
        await pilot.pause()
        width = conversation.scrollable_content_region.width
        lines = _lines(conversation)
        assert all(cell_len(line) == width for line in lines)
        box = BOXES["assistant"]
        inner = width - box.left - box.right - 3  # edge, a space either side
        drawn = "".join(line[2:].rstrip() for line in lines if line.startswith("▌"))
        assert drawn == LONG  # every character, in order, none cut at a wide character's edge
        assert len([line for line in lines if line.startswith("▌")]) == -(-cell_len(LONG) // inner)
        region = question.region
        first = next(y for y, line in enumerate(lines) if line.startswith("▌"))
        assert region.y == conversation.scrollable_content_region.y + first
        assert not "".join(lines[:first - box.top]).strip()  # a short conversation sits at the foot
        assert region.height == -(-cell_len(LONG) // inner)
        # The text is drawn in its box's colours, as the edge and the padding around it.
        box_line = conversation.render_line(region.y - conversation.scrollable_content_region.y)
        assert len({seg.style.bgcolor for seg in box_line if seg.text.strip()}) == 1
        note = next(conversation.render_line(y) for y in range(len(lines)) if "记下了" in lines[y])
        muted = conversation.get_component_rich_style("conversation--note").color
        assert [seg.style.color for seg in note if "记下了" in seg.text] == [muted]
        clerk = next(line for line in lines if "（回答）" in line)
        assert clerk.startswith(" " * BOXES["clerk"].left) and clerk.rstrip().endswith("▐")


async def test_it_stays_at_its_foot_unless_the_clerk_scrolls_up() -> None:
    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        conversation = app.query_one(Conversation)
        conversation.add([TurnView(f"第{i}个问题", "assistant") for i in range(8)])
        await pilot.pause()
        assert conversation.at_foot and "第7个问题" in "".join(_lines(conversation))
        conversation.scroll_home(animate=False)
        await pilot.pause()
        assert not conversation.at_foot and "第0个问题" in _lines(conversation)[1]
        conversation.add([TurnView("第8个问题", "assistant")])  # the clerk reads on undisturbed
        await pilot.pause()
        assert "第0个问题" in _lines(conversation)[1]
        conversation.follow()
        await pilot.pause()
        assert "第8个问题" in _lines(conversation)[-1]
        assert conversation.scroll_y == conversation.max_scroll_y


async def test_earlier_turns_fold_and_a_removed_turn_is_gone() -> None:
    app = Host()
    async with app.run_test(size=(60, 40)) as pilot:
        conversation = app.query_one(Conversation)
        turns = [TurnView(f"第{i}条", "note") for i in range(KEEP_TURNS + 3)]
        conversation.add(turns)
        await pilot.pause()
        assert conversation.folded == 3 and [t.display for t in turns[:3]] == [False] * 3
        shown = "\n".join(_lines(conversation))
        assert "已收起" in shown and "第2条" not in shown and f"第{KEEP_TURNS + 2}条" in shown
        turns[-1].remove()
        await pilot.pause()
        assert turns[-1] not in conversation.turns and f"第{KEEP_TURNS + 2}条" not in "\n".join(_lines(conversation))


async def test_the_text_of_the_turns_can_be_selected_and_copied() -> None:
    app = Host()
    async with app.run_test(size=(40, 20)) as pilot:
        conversation = app.query_one(Conversation)
        conversation.add([TurnView(LONG, "assistant"), TurnView("（回答）", "clerk")])
        await pilot.pause()
        text, _end = conversation.get_selection(Selection(None, None))
        assert re.sub(r"\s", "", text) == LONG + "（回答）"  # the text only: no edge, no padding
        first = next(y for y, line in enumerate(_lines(conversation)) if line.startswith("▌"))
        strip = conversation.render_line(first)
        offsets = [s.style.meta.get("offset") for s in strip if s.style and s.style.meta]
        assert offsets and offsets[0][0] == 0  # the text's first character is column 0 of its line
        # Dragged with the mouse as a clerk would, from the first character of the question to
        # the first of its next line: the first line's text, without the edge or the padding.
        await pilot.mouse_down(conversation, offset=(2, first))
        await pilot.hover(conversation, offset=(2, first + 1))
        await pilot.mouse_up(conversation, offset=(2, first + 1))
        await pilot.pause()
        selected = app.screen.get_selected_text()
        assert selected.splitlines()[0] == _lines(conversation)[first][2:].rstrip()
        assert LONG.startswith("".join(selected.split()))


async def test_the_next_question_is_drawn_in_the_first_frame_after_the_key(workspace: Path) -> None:
    """Also when the answer box changes height (one line ↔ paragraph): the question lands in view
    at the conversation's foot in that frame, not one layout later."""
    app = make_app(workspace=workspace)
    frames: list[str] = []

    def on_frame(screen, update) -> None:
        if hasattr(update, "render_segments"):
            frames.append(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", update.render_segments(app.console)))

    async with app.run_test(size=(100, 30)) as pilot:
        watch_frames(app, on_frame)
        await pilot.press("n")
        await pilot.pause()
        switched = 0
        for _ in range(10):
            screen = app.screen
            assert isinstance(screen, ChatScreen)
            area, line = screen.query_one("#answer-text"), screen.query_one("#answer-line")
            before = area.display
            text = ZERO_REQUEST_TOWNSHIP.answers[screen.prompt.question.id]
            if area.display:
                if text:
                    area.text = text
            else:
                line.value = text
            await pilot.pause()  # the typing is on screen before the key
            frames.clear()
            await pilot.press("ctrl+s" if area.display else "enter")
            await pilot.pause()
            switched += before != area.display
            words = screen.current_view.text.splitlines()[0][:8]
            assert frames and words in frames[0], (screen.prompt.question.id, len(frames))
        assert switched >= 2  # the paragraph box came and went on the way
    assert not app.internal_errors


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one() -> None:
    from rich.text import Text

    from gkassist.tui.cells import NO_LINE_END, NO_LINE_START, wrap

    question = "（一）主动公开：今年主动公开了哪些信息？通过哪些渠道？有数字的请写上。"
    assert [line.plain for line in wrap(Text(question), 68)] == [question[:-2], question[-2:]]
    quoted = "本年有没有因政府信息公开被申请行政复议或提起行政诉讼？没有就答“没有”；有的话写编号。"
    for width in range(20, 80):
        lines = [line.plain for line in wrap(Text(quoted), width)]
        assert "".join(lines) == quoted
        assert all(cell_len(line) <= width for line in lines)
        assert not any(line[0] in NO_LINE_START for line in lines[1:])
        assert not any(line[-1] in NO_LINE_END for line in lines[:-1])
    latin = wrap(Text("行政规范性文件 2 1 14，行政许可 12 and some English words"), 20)
    assert [line.plain for line in latin] == ["行政规范性文件 2 1", "14，行政许可 12 and", "some English words"]
    assert [line.plain for line in wrap(Text("第一行\n\n第三行"), 10)] == ["第一行", "", "第三行"]
