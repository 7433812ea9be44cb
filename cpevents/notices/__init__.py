"""Telling the people with a place at an event when it changes (issue 17). This package stands
with home, reports and public, above every package that holds people with a place (invitations,
registrations, door), so it can reach them all; events records the change and stays below."""
