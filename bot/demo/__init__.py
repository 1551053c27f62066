"""The demo (`python -m bot demo`) and the harness that runs the whole bot against the sandbox.

`play` runs the acts in order (`start`, `kickoff`, `cases`, `checkins`, `summary`); each act imports what
it shares with the others from `stage`, and `harness` serves the bot on loopback for the demo, the
end-to-end tests and the benchmarks. Nothing is imported here, so importing the harness alone stays light.
"""
