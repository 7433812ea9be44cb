"""Issue 14: data protection the service does (retention, erasure, subject access, notices).
Sits above the domains, like reports."""
