"""Where a redirect may go."""
from urllib.parse import urlsplit


def is_local_path(target: str) -> bool:
    """Only paths of this site: not //host, not /\\host (browsers read \\ as /), no scheme."""
    return (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not urlsplit(target).netloc and not any(ord(c) < 32 for c in target))
