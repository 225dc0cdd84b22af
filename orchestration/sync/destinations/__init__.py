"""The destinations a segment can sync to, by the name seeds/destinations.csv gives them.
Adding a platform is one module with a Destination subclass, listed here."""

from __future__ import annotations

import contextlib

from orchestration.sync.config import DestinationConfig, SyncConfigError
from orchestration.sync.destinations.base import Destination
from orchestration.sync.destinations.files import Files
from orchestration.sync.destinations.google_ads import GoogleAds
from orchestration.sync.destinations.hubspot import HubSpot
from orchestration.sync.destinations.klaviyo import Klaviyo
from orchestration.sync.destinations.mailchimp import Mailchimp
from orchestration.sync.destinations.meta_ads import MetaAds
from orchestration.sync.destinations.webhook import Webhook
from orchestration.sync.http import HttpClient

DESTINATIONS: dict[str, type[Destination]] = {
    cls.name: cls for cls in (MetaAds, GoogleAds, Klaviyo, Mailchimp, HubSpot, Webhook, Files)
}


def build_destination(config: DestinationConfig, **http_options) -> Destination:
    cls = DESTINATIONS.get(config.name)
    if cls is None:
        raise SyncConfigError(
            f"{config.path}: destinations.{config.name}: unknown destination; "
            f"expected one of {sorted(DESTINATIONS)}"
        )
    for name in config.credentials:  # read now, so every error from here on is scrubbed of them
        with contextlib.suppress(SyncConfigError):
            config.secret(name)
    if not cls.uses_http:
        return cls(config, None)
    config.https_base_url()
    client = HttpClient(
        config, pool_size=cls.concurrency, error_fields=cls.error_fields, **http_options
    )
    return cls(config, client)
