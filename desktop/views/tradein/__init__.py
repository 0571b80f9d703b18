"""Trade-in at the counter: the questionnaire, the value explained line by line as the
answers come in, what stops the trade-in and why, then the quote, its acceptance (signature
name, declarations, payout), a re-quote after inspection, or the device going back.

``screen`` holds ``TradeInScreen`` (layout, the quotes list, starting over, lock); the jobs it
mixes in are ``questionnaire`` (customer, model, questions, IMEI check), ``breakdown`` (the
live valuation), ``gates`` (what refuses a device) and ``acceptance`` (quote, accept, re-quote,
decline, receipt); ``_common`` holds what they share. Screen strings are translated under the
class that says them (Qt looks a string up along the screen's class hierarchy)."""

from desktop.views.tradein._common import Line, find_data
from desktop.views.tradein.screen import TradeInScreen

__all__ = ["Line", "TradeInScreen", "find_data"]
