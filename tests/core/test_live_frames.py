import pytest
from websockets.frames import Frame, Opcode

from core.live.frames import build_text_frame, text_frame


@pytest.mark.parametrize("length", [0, 5, 125, 126, 300, 65535, 65536, 70_000])
def test_frames_are_what_a_websocket_library_would_send(length):
    text = ("议" + "x" * length)[:length] if length else ""
    expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False)
    assert build_text_frame(text) == expected


def test_one_event_is_framed_once_for_every_socket():
    text = '{"type":"post.created","seq":1}'
    assert text_frame(text) is text_frame(text)
