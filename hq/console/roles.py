"""Who may do what in the console: ONE table, checked server-side by every route
(:func:`hq.console.web.page` refuses a route registered without a permission from it).

Roles: ``admin`` (head office: everything), ``pricing`` (price books), ``loyalty``
(loyalty rules), ``regional`` (a regional manager: the stores of one region only) and
``auditor`` (reads everything, changes nothing). A regional manager's store lists, pages
and figures are cut to its region by :func:`region_scope`; a page that shows one store
checks :func:`may_see_store` too.
"""

from __future__ import annotations

ADMIN, PRICING, LOYALTY, REGIONAL, AUDITOR = "admin", "pricing", "loyalty", "regional", "auditor"
ROLES = (ADMIN, PRICING, LOYALTY, REGIONAL, AUDITOR)
EVERYONE = frozenset(ROLES)

# permission -> the roles that have it
PERMISSIONS: dict[str, frozenset[str]] = {
    "chain.view": EVERYONE,                        # home: the chain at a glance (regional: its region)
    "stores.view": EVERYONE,                       # regions and stores, a store's sync health
    "stores.manage": frozenset({ADMIN}),           # regions, stores, enrolment codes, credentials
    "users.manage": frozenset({ADMIN}),            # console users: create, role, region, deactivate, reset
    "audit.view": frozenset({ADMIN, AUDITOR}),     # the console's audit log
    "account.self": EVERYONE,                      # my account: password, two-step sign-in
    "totp.enrol": frozenset({ADMIN}),              # two-step sign-in (TOTP) is offered to admins
    # reference data: drafted by its owners, published after a second person's review
    "reference.view": frozenset({ADMIN, PRICING, LOYALTY, AUDITOR}),   # price books, services, parts, loyalty rules
    "pricebook.edit": frozenset({ADMIN, PRICING}),  # price books, service types and skills, parts and prices
    "loyalty.edit": frozenset({ADMIN, LOYALTY}),    # loyalty rules: earn rates, tiers, bonuses, expiry
    "customers.view": frozenset({ADMIN, AUDITOR}),  # find a customer by full key, where served, fetch log
    "customers.dsr": frozenset({ADMIN}),            # data-subject requests: export, erasure
    "figures.view": EVERYONE,                       # the chain's figures (regional: its region)
    "escalations.handle": frozenset({ADMIN, REGIONAL}),
    # customer care (issue 21): complaint rules, response scripts, care settings; complaints opened at HQ
    "care.view": frozenset({ADMIN, REGIONAL, AUDITOR}),
    "care.edit": frozenset({ADMIN}),               # head office customer care drafts and publishes them
    "complaints.open": frozenset({ADMIN, REGIONAL}),   # regional: its region's stores only
    # customer messages (issue 22): templates, preview, test send; the delivery log; channel set-up
    "messages.view": frozenset({ADMIN, REGIONAL, AUDITOR}),   # regional: its region's stores' messages only
    "messages.edit": frozenset({ADMIN}),
}

# the roles whose view of stores is cut to their own region
REGION_SCOPED = frozenset({REGIONAL})


def allowed(role: str, permission: str) -> bool:
    """Whether ``role`` has ``permission``; an unknown permission is nobody's."""
    return role in PERMISSIONS.get(permission, frozenset())


def region_scope(role: str, region_id: int | None) -> tuple[bool, int | None]:
    """(scoped?, region): a scoped user without a region sees no store at all."""
    return (True, region_id) if role in REGION_SCOPED else (False, None)


def may_see_store(role: str, user_region: int | None, store_region: int | None) -> bool:
    scoped, region = region_scope(role, user_region)
    return not scoped or (region is not None and store_region == region)
