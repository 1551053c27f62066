"""Every callback_id, block_id and action_id the bot uses: builders and handlers both import these.

One module per part of the bot keeps them apart; this one gathers them so that a clash is caught by
the test that checks they are unique.
"""

from bot.views.ids_network import START_NETWORK_MODAL, VALUE_ACTION, StartNetworkBlocks

__all__ = ["START_NETWORK_MODAL", "VALUE_ACTION", "StartNetworkBlocks"]
