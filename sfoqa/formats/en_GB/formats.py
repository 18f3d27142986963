"""The same UK formats whichever English the request asks for."""

from sfoqa.formats.en.formats import *  # noqa: F403
