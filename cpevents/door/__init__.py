"""Check-in at the door on the night (issue 8): door helpers per event, the door list on a phone,
the QR code from the confirmation email, live counts and a printable list."""
