"""Data protection the service does itself (issue 14): erasure on request, and (from other parts)
the retention purge and subject access. Sits above the domains, like reports."""
