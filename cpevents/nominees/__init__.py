"""Young people told they are nominated, through their own personal link, and able to say no (issue 16)."""
