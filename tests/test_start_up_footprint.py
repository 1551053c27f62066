"""What a bot process loads at start-up: heavy libraries wait until they are needed."""

import subprocess
import sys


def test_starting_the_bot_does_not_load_the_chart_library() -> None:
    probe = "import sys, bot.__main__, bot.runtime, handlers; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
