"""The loyalty workspace: find a member (type, or scan the card), see the card, tier,
balance and ledger, and earn, redeem or adjust. ``screen`` holds ``LoyaltyScreen`` (the
members list, lookup and enrolment); ``panel`` the member's side, ``MemberPanel``, which the
customer profile uses on its own; ``dialogs`` the earn, redeem and adjust dialogs and the
customer finder for enrolment; ``card`` the painted member card (``CardView``) and the
printable card's preview; ``_common`` what they share."""

from desktop.views.loyalty._common import points
from desktop.views.loyalty.card import CardView, code128_runs, print_card, qr_matrix
from desktop.views.loyalty.dialogs import AdjustDialog, EarnDialog, FindCustomerDialog, RedeemDialog
from desktop.views.loyalty.panel import MemberPanel
from desktop.views.loyalty.screen import LoyaltyScreen

__all__ = ["AdjustDialog", "CardView", "EarnDialog", "FindCustomerDialog", "LoyaltyScreen", "MemberPanel",
           "RedeemDialog", "code128_runs", "points", "print_card", "qr_matrix"]
