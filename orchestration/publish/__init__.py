"""The published read-only copy: after a gated build, the schemas readers need (BI tools, the
lookup API) copied out of the warehouse into a version folder that `current` points to, so that
no reader ever holds the file the next build writes."""

from orchestration.publish.copy import PUBLISHED_SCHEMAS
from orchestration.publish.location import publish_dir_setting, publish_path
from orchestration.publish.publisher import Published, publish

__all__ = ["PUBLISHED_SCHEMAS", "Published", "publish", "publish_dir_setting", "publish_path"]
