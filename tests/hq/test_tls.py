"""Transport rules: plain http only to loopback; HTTPS checked against the configured CA,
failing closed on a certificate that does not check out. A private CA made here with
``cryptography``; a real HQ process serving TLS on loopback."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.errors import ValidationError
from core.sync import client as sync_client
from core import clock
from hq.common import _sha
from hq.models import hq_store
from tests.hq.conftest import HqServer


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(folder: Path, cn: str):
    key = ec.generate_private_key(ec.SECP256R1())
    now = clock.now()
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn)).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False),
                           critical=True)
            .sign(key, hashes.SHA256()))
    path = folder / f"{cn}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert, path


def make_server_cert(folder: Path, ca_key, ca_cert) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = clock.now()
    cert = (x509.CertificateBuilder().subject_name(_name("orchard-hq")).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = folder / "hq.crt", folder / "hq.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture(scope="module")
def tls_hq(tmp_path_factory, pg_database):
    folder = tmp_path_factory.mktemp("tls")
    ca_key, ca_cert, ca_path = make_ca(folder, "Orchard Test CA")
    _, _, other_ca = make_ca(folder, "Somebody Else CA")
    cert, key = make_server_cert(folder, ca_key, ca_cert)
    server = HqServer(pg_database, folder / "tls.log", tls=(cert, key))
    server.start()
    yield server, ca_path, other_ca
    server.close()


class NoNetwork(httpx.BaseTransport):
    def __init__(self):
        self.requests = []

    def handle_request(self, request):
        self.requests.append(request)
        raise AssertionError("a request went out")


@pytest.mark.parametrize("url", ["http://10.0.0.5:8765", "http://hq.example.com", "http://192.168.1.20",
                                 "ftp://hq.example.com", "hq.example.com"])
def test_plain_http_beyond_loopback_is_refused_before_sending(url, make_store):
    store = make_store("SA")
    net = NoNetwork()
    with pytest.raises(sync_client.InsecureHq):
        sync_client.make_http(url, transport=net)
    with pytest.raises(ValidationError) as err:
        sync_client.enrol(store.db, store.admin, url, "ABCD-EFGH-JKMN-PQRS", transport=net)
    assert err.value.field == "url"
    assert net.requests == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "http://localhost:9", "http://[::1]:8765",
                                 "https://hq.example.com"])
def test_loopback_http_and_any_https_are_allowed(url):
    assert sync_client.check_url(url) == url


def test_https_with_the_configured_ca_works(tls_hq, make_store):
    server, ca, _ = tls_hq
    store = make_store("TA")
    code = server.enrolment("TA")
    sync_client.enrol(store.db, store.admin, server.url, code, ca_file=str(ca))
    report = store.sync()
    assert report.pushed >= 2


def test_wrong_certificate_fails_closed(tls_hq, make_store):
    server, ca, other_ca = tls_hq
    store = make_store("TB")
    code = server.enrolment("TB")
    with pytest.raises(sync_client.CertificateRejected):
        sync_client.enrol(store.db, store.admin, server.url, code, ca_file=str(other_ca))
    # without a private CA the system's CAs do not vouch for it either
    with pytest.raises(sync_client.CertificateRejected):
        sync_client.enrol(store.db, store.admin, server.url, code)
    # a name the certificate was not issued for
    with pytest.raises(sync_client.CertificateRejected):
        sync_client.enrol(store.db, store.admin, server.url.replace("127.0.0.1", "localhost"), code,
                          ca_file=str(ca))
    # nothing reached HQ: the code is still unused and works with the right CA
    with server.engine.connect() as conn:
        assert conn.execute(hq_store.select().where(hq_store.c.code == "TB")).mappings().one()["store_id"] is None
    sync_client.enrol(store.db, store.admin, server.url, code, ca_file=str(ca))

    # an enrolled store whose CA setting is wrong does not sync, and says why
    from core.sync.apply import set_state
    with store.db.session(write=True) as s:
        set_state(s, sync_client.CA_KEY, str(other_ca))
    with pytest.raises(sync_client.CertificateRejected):
        store.sync()
    with store.db.session() as s:
        assert "certificate" in sync_client.status(s).last_error


def test_hq_will_not_serve_plain_http_beyond_loopback(capsys):
    from hq.cli import main
    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 2
    assert "refusing plain HTTP" in capsys.readouterr().err


def test_enrolment_records_only_a_hash(tls_hq, make_store):
    server, ca, _ = tls_hq
    store = make_store("TC")
    code = server.enrolment("TC")
    sync_client.enrol(store.db, store.admin, server.url, code, ca_file=str(ca))
    from core.sync import credentials
    secret = credentials.load(store.db).split(".", 1)[1]
    with server.engine.connect() as conn:
        row = conn.execute(hq_store.select().where(hq_store.c.code == "TC")).mappings().one()
    assert secret not in str(dict(row)) and row["credential_hash"] == _sha(secret)
