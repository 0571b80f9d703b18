"""A technician may not see a customer's contact details: the profile shows them masked,
the edit form shows the masks read-only and saves the other fields without sending the
masks back, so the real phone and email survive the edit."""

from core import customers
from core.models import Customer
from core.permissions import Role
from desktop.qt import QLabel, QLineEdit
from desktop.views.customer_form import CustomerForm
from tests.desktop.conftest import PINS, open_profile, sign_in

PHONE, EMAIL = "+442079460958", "anna@example.com"


def test_technician_sees_masked_contact_details_and_cannot_send_them_back(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.TECHNICIAN], PINS[Role.TECHNICIAN])
    screen = open_profile(qtbot, w)
    panel = screen.detail
    assert panel.contact["phone"].text() == "•••• 0958"
    assert panel.contact["email"].text() == "a•••@example.com"
    shown = [x.text() for x in w.findChildren(QLabel) + w.findChildren(QLineEdit)]
    assert not any("7946" in t or "anna@" in t for t in shown), "the whole phone or email is on screen"
    # the edit form: masks, read-only, with the reason beside them
    panel.buttons["edit"].click()
    qtbot.waitUntil(lambda: any(f.isVisible() for f in screen.findChildren(CustomerForm)), timeout=10000)
    form = next(f for f in screen.findChildren(CustomerForm) if f.isVisible())
    for field in (form.phone, form.email, form.address):
        assert not field.isEnabled() and field.isReadOnly()
        assert field.toolTip() == "Contact details are hidden for your role"
    assert form.contact_hidden.isVisible()
    assert form.phone.text() == "•••• 0958" and "7946" not in form.phone.text()
    assert form.email.text() == "a•••@example.com"
    assert set(form.values()) == {"family_name", "given_name", "language", "birth_date", "contact_preference"}
    form.given_name.setText("Annabel")
    form.buttons.button(form.buttons.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)
    assert form.result() == form.DialogCode.Accepted, form.fields.general.text()
    with w.ctx.db.session() as s:
        anna = s.query(Customer).filter(Customer.family_name == "Smith").one()
        assert (anna.given_name, anna.phone_e164, anna.email) == ("Annabel", PHONE, EMAIL)


def test_an_associate_still_sees_and_edits_contact_details(qtbot, gui_store, make_window):
    path, people = gui_store
    w = make_window(path)
    sign_in(qtbot, w, people[Role.ASSOCIATE], PINS[Role.ASSOCIATE])
    screen = open_profile(qtbot, w)
    assert screen.detail.contact["phone"].text() == PHONE
    with w.ctx.db.session() as s:
        view = customers.view(s.query(Customer).filter(Customer.family_name == "Smith").one())
    form = CustomerForm(w.ctx, view, screen)
    qtbot.addWidget(form)
    assert form.phone.isEnabled() and form.phone.text() == PHONE and not form.contact_hidden.isVisibleTo(form)
    assert form.values()["email"] == EMAIL
