"""The copy catalogue: gettext files per locale (`locales/<locale>/LC_MESSAGES/microcred.po`),
read with Babel, installed into `bot.core.copy` so every `t(key)` reads them."""

from bot.copy.catalogue import CATALOGUE_DIR, Catalogue, CopyError, load_catalogue

__all__ = ["CATALOGUE_DIR", "Catalogue", "CopyError", "install_catalogue", "load_catalogue"]


def install_catalogue() -> Catalogue:
    """Load the bundled catalogue and make it the one `t` reads (idempotent)."""
    from bot.core import copy

    catalogue = load_catalogue()
    copy.install(catalogue)
    return catalogue
