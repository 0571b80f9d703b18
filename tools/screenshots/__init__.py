"""The README's screenshots: ``python -m tools.screenshots --out docs/screenshots`` drives
the real window on a fresh demo store (offscreen) and saves what staff would see, in
English and Chinese. :mod:`.driver` signs in and takes the main shots; one module per
area (appointments, bench, trade-in, loyalty, reports, sync) takes that area's own.

Data a shot needs is made with core service functions under a signed-in actor, never by
writing ORM rows here."""
