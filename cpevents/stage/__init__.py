"""The awards night on stage (issue 18): the running order of the awards, the presenter's sheet
per award (with a "sealed" version naming the winner, each printing recorded) and the
photographer's list. Organisers only."""
