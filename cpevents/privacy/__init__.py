"""Data protection the service does itself (issue 14): the retention schedule and purge, erasure on
request, subject access and the notices. Sits above the domains, like reports."""
