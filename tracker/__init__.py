"""tracker: a regulatory-event timeline for Hong Kong and mainland China, with Slack alerts."""

__version__ = "0.1.0"
__all__ = ["__version__"]
