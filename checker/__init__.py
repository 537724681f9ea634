"""contract-check: find missing or weak data-handling clauses in agency-NGO provider contracts."""

__version__ = "0.2.0"
