"""The package version; it must equal the shared library's zb_version()."""

__version__ = "0.1.0"

#: The C ABI version (ZB_ABI_VERSION in zhibiao.h) this package was written against.
ABI_VERSION = 2
