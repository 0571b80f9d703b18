"""HQ's pull over HTTP hands each row's JSON as the database holds it (hq.pull.pull with
``raw``: orjson.Fragment, not parsed and serialised again): the same rows, data and stamps
as service.pull gives in process, the secrets of another store's staff still blanked."""

import httpx
import orjson
import pytest

from core.models import Customer
from hq import service
from tests.hq.util import auth_of, credential


@pytest.mark.parametrize("hq", ["postgresql", "sqlite"], indirect=True)
def test_the_http_page_is_the_in_process_page(hq, make_store):
    a = make_store("RA", hq)
    with a.db.session(write=True) as s:
        s.add_all(Customer(home_store_id=a.store_id, given_name=f"名{i}", family_name="Lee \"Q\"",
                           email=f"c{i}@example.com", address=f"{i} Road\nFlat 2") for i in range(30))
    a.sync()
    b = make_store("RB", hq)
    b.sync()
    with b.db.session(write=True) as s:      # B serves A's customers too: a row of each kind
        s.add(Customer(home_store_id=b.store_id, given_name="Bo", family_name="Wu"))
    b.sync()
    after = "0"
    seen = 0
    while True:
        with httpx.Client(base_url=hq.url, timeout=30) as c:
            r = c.get("/v1/pull", params={"after": after, "limit": 7},
                      headers={"Authorization": f"Bearer {credential(b.db)}"})
        assert r.status_code == 200
        page = orjson.loads(r.content)
        want = service.pull(hq.engine, auth_of(b), after, 7)
        assert [(x["entity"], x["id"], x["deleted"], x["data"], x["stamps"]) for x in page["rows"]] == \
            [(x["entity"], x["id"], x["deleted"], x["data"], x["stamps"]) for x in want["rows"]]
        assert page["next"] == want["next"] and page["more"] == want["more"]
        for x in page["rows"]:
            if x["entity"] == "staff" and x["data"]["store_id"] == str(a.store_id):
                assert x["data"]["password_hash"] == ""        # another store's secret: blanked
                seen += 1
        after = page["next"]
        if not page["more"]:
            break
    assert seen >= 1
