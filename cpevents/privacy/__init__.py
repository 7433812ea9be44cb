"""Data protection that the service does (issue 14): what we keep and for how long, erasure,
subject access, and the privacy notice young people can read. Sits above the domains, like
reports."""
