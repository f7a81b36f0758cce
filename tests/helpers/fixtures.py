"""The kiosk builder as fixtures. A module or test configures the kiosk it gets with the `rig`
marker, whose keywords go to KioskRig: `pytestmark = pytest.mark.rig(privacy_notice=True)`."""

from __future__ import annotations

import pytest

from helpers.rig import KioskRig


@pytest.fixture
def rig(request: pytest.FixtureRequest) -> KioskRig:
    marker = request.node.get_closest_marker("rig")
    return KioskRig(**(marker.kwargs if marker else {}))
