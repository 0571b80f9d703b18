"""What HQ does, as plain functions over an Engine (the web app in :mod:`hq.app` and the
admin CLI are thin skins over these), gathered from the modules that hold them:
:mod:`hq.enrol` enrols a store and authenticates it; :mod:`hq.push` takes a batch of its
changes (checked in :mod:`hq.push_ops`, merged in :mod:`hq.push_merge`, written by
:mod:`hq.bulk`); :mod:`hq.pull` hands out changes after its cursor; :mod:`hq.fetch`
finds a customer on demand; :mod:`hq.status` reports on stores and prunes old batch
receipts; :mod:`hq.audit_heads` keeps each store's audit-chain heads; :mod:`hq.common`
holds the refusals and helpers they share."""

from hq.audit_heads import report as report_audit_head
from hq.common import BadRequest, EnrolRefused, HqError, StoreAuth, Unauthorized
from hq.enrol import authenticate, create_enrolment, enrol
from hq.fetch import lookup_customer
from hq.pull import current_rows, pull
from hq.push import push
from hq.status import Flag, StoreStatus, prune, status

__all__ = ["BadRequest", "EnrolRefused", "Flag", "HqError", "StoreAuth", "StoreStatus", "Unauthorized",
           "authenticate", "create_enrolment", "current_rows", "enrol", "lookup_customer", "prune", "pull",
           "push", "report_audit_head", "status"]
