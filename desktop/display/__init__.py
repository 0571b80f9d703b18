"""The customer-facing display (issue 21): a second window the customer reads, ticks and
signs on, in the customer's language, on a second screen when one is connected and else
full-screen on the main screen, turned round to the customer.

``placement`` chooses the screen (pure), ``words`` holds the display's own texts in EN and
ZH, ``window`` is the display itself and ``controller`` the one object per app the
associate's screens call (``ctx.display``)."""
