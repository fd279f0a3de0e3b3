"""Constants for the Grandstream CTI integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "grandstream_cti"
LOGGER = logging.getLogger(__package__)
MANUFACTURER: Final = "Grandstream"

CONF_PASSCODE: Final = "passcode"
CONF_FAMILY: Final = "family"
CONF_MODEL: Final = "model"
CONF_MAC: Final = "mac"
CONF_ADVANCED: Final = "advanced"

# Browser CTI tools poll every 2-2.5 s without harm and the phones' own web UI
# every 5 s: 3 s shows call state within a few seconds without push.
SCAN_INTERVAL: Final = timedelta(seconds=3)
# Accounts and handset pairing change rarely; read them every minute only.
SLOW_INTERVAL: Final = timedelta(seconds=60)
# While every change a read finds was announced by a pushed event (Action
# URL), a poll only has to catch a lost push: within 10 s, scheduling
# included, and soon enough that a call ringing 7 s is seen even then.
PUSH_SCAN_INTERVAL: Final = timedelta(seconds=6)
# How long the DND switch waits for the phone's DND event after the key.
DND_CONFIRM_TIMEOUT: Final = 5.0
# Requests to a phone give up after this long; a slow phone never holds up
# another one, each has its own client and coordinator.
REQUEST_TIMEOUT: Final = 8.0
