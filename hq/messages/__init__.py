"""HQ sends the customer messages stores ask for (issue 22).

A store writes a ``message_request`` row with its event (through the outbox); HQ's worker
(:mod:`hq.messages.worker`) takes the due ones, renders each in the customer's language
(:mod:`hq.messages.render`), sends it by email (:mod:`hq.messages.smtp`) or SMS through a
gateway adapter (:mod:`hq.messages.sms`) and writes the delivery status back onto the
store's row (:mod:`hq.messages.status`). Settings come from the environment
(:mod:`hq.messages.settings`); signed links in messages from :mod:`hq.messages.links`;
the gateway's delivery reports arrive at :mod:`hq.messages.webhooks`."""
