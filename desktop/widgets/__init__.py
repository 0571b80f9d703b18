"""Widgets that several screens share.

``field`` holds ``FieldRow`` (a form field with its validation error shown below it, bound
into the form's ``FieldErrors``) and ``error_label`` (a form's general error line);
``signature`` holds ``SignaturePad``, on which a customer signs at pickup; ``calendar``
holds the day calendar of the appointments screen.
"""
