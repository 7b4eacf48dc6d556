"""A <video> that tells the page when someone presses play (React's onPlay, which Reflex's element
does not declare): watching a version is what makes its viewer hear of the next one."""

from __future__ import annotations

import reflex as rx


class PlayedVideo(rx.el.Video):
    on_play: rx.EventHandler[rx.event.no_args_event_spec]  # type: ignore[valid-type, type-arg]


played_video = PlayedVideo.create
