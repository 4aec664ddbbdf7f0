"""Transport security over real gRPC: TLS and mutual TLS on the federation, the gateway and a pod.

Certificates are throw-away ones from `slipstream tls init` (the same code), written once per
module: a CA with a server, an operator and two pod certificates, and a second CA nobody trusts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import grpc
import pytest
from conftest import ADMIN_TOKEN, POD_TOKENS, make_settings
from slipstream_api.v1 import (
    common_pb2,
    constitution_pb2,
    constitution_pb2_grpc,
    federation_pb2,
    federation_pb2_grpc,
    gateway_pb2,
    gateway_pb2_grpc,
)
from support import LoopThread, TargetStrategy, eventually

from slipstream.cli.main import main as cli_main
from slipstream.core.model import HaltReason
from slipstream.datalake.client import LakeClient
from slipstream.datalake.server import LakeSettings, start_lake
from slipstream.federation.client import FederationClient
from slipstream.federation.server import RunningFederation, start_federation
from slipstream.federation.settings import load_settings
from slipstream.gateway.controls import StaticControls
from slipstream.gateway.server import GatewaySettings, PaperAccountSettings, PodAccess, RunningGateway, start_gateway
from slipstream.pod.market import RandomWalkMarket
from slipstream.pod.runner import ServingPod, register, start_pod
from slipstream.pod.runtime import PodRuntime
from slipstream.transport import auth, certs, tls

# A pod's own certificate, presented when it dials and when it serves.
POD = "pod-alpha"


@dataclass(frozen=True)
class Certs:
    trusted: Path  # the CA everyone trusts, with server, client (operator), pod-alpha and pod-beta
    rogue: Path  # another CA with its own pod-alpha: right names, wrong signer

    def server(self, stem: str = "server", *, mutual: bool) -> tls.ServerTls:
        directory = self.trusted
        return tls.load_server_tls(
            directory / f"{stem}.pem", directory / f"{stem}-key.pem", directory / "ca.pem" if mutual else None
        )

    def client(self, stem: str | None = None, *, signer: Path | None = None) -> tls.ClientTls:
        """Trust the real CA; present `stem`'s certificate (from `signer`'s directory) if given."""
        directory = signer or self.trusted
        if stem is None:
            return tls.load_client_tls(self.trusted / "ca.pem")
        return tls.load_client_tls(self.trusted / "ca.pem", directory / f"{stem}.pem", directory / f"{stem}-key.pem")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    root = tmp_path_factory.mktemp("pki")
    certs.init_directory(root / "trusted", ["alpha", "beta"])
    certs.init_directory(root / "rogue", ["alpha"])
    return Certs(root / "trusted", root / "rogue")


@dataclass
class Deployment:
    """A federation and one pod, both over TLS (mutual when `mutual`)."""

    loop: LoopThread
    federation: RunningFederation
    pod: ServingPod

    def stop(self) -> None:
        self.loop.run(self.pod.stop())
        self.loop.run(self.federation.stop())


def deploy(pki: Certs, loop: LoopThread, data_dir: Path, *, mutual: bool) -> Deployment:
    # The federation dials pods as the operator: a certificate that names no pod, so the pod's token decides.
    settings = make_settings(
        data_dir, tls=pki.server(mutual=mutual), client_tls=pki.client("client" if mutual else None)
    )
    federation = loop.run(start_federation(settings))
    strategy = TargetStrategy()
    runtime = PodRuntime("alpha", strategy, RandomWalkMarket(dict.fromkeys(strategy.symbols, 60_000.0), seed=42))
    pod = loop.run(start_pod(runtime, POD_TOKENS["alpha"], tls=pki.server(POD, mutual=mutual)))
    deployment = Deployment(loop, federation, pod)
    try:
        dial = pki.client(POD if mutual else None)
        loop.run(register(runtime, POD_TOKENS["alpha"], federation.address, pod.server.address, 10.0, tls=dial))
    except BaseException:
        deployment.stop()
        raise
    return deployment


@pytest.fixture(params=[False, True], ids=["tls", "mtls"])
def deployment(
    request: pytest.FixtureRequest, pki: Certs, tmp_path: Path, loop_thread: LoopThread
) -> Iterator[Deployment]:
    running = deploy(pki, loop_thread, tmp_path, mutual=request.param)
    yield running
    running.stop()


def _code(call: Callable[[], object]) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code()


def test_a_pod_registers_reports_and_halts_over_tls(deployment: Deployment, pki: Certs) -> None:
    # The operator's certificate is accepted with or without mTLS: a plain TLS server never asks for one.
    with FederationClient(deployment.federation.address, ADMIN_TOKEN, tls=pki.client("client")) as admin:
        eventually(lambda: admin.get_pod("alpha").last_status.config.config_version == 1)
        eventually(lambda: Decimal(admin.get_pod("alpha").last_status.gross_exposure_usd or "0") > 0)

        result = admin.halt("alpha", HaltReason.MANUAL, "tls-test", "over TLS")

        assert result.outcome == federation_pb2.POD_HALT_OUTCOME_HALTED, result.error_message
        halted = common_pb2.TRADING_STATE_HALTED
        eventually(lambda: admin.get_pod("alpha").last_status.trading_state == halted)
        assert deployment.pod.runtime.control.trading_state.name == "HALTED"


def test_a_plaintext_client_is_refused_by_a_tls_server(deployment: Deployment) -> None:
    with FederationClient(deployment.federation.address, ADMIN_TOKEN, timeout_s=5) as plaintext:
        assert _code(plaintext.list_pods) is grpc.StatusCode.UNAVAILABLE


def test_a_client_that_does_not_trust_the_server_ca_is_refused(deployment: Deployment, pki: Certs) -> None:
    stranger = tls.load_client_tls(pki.rogue / "ca.pem")
    with FederationClient(deployment.federation.address, ADMIN_TOKEN, timeout_s=5, tls=stranger) as client:
        assert _code(client.list_pods) is grpc.StatusCode.UNAVAILABLE


@pytest.mark.parametrize("deployment", [True], ids=["mtls"], indirect=True)
@pytest.mark.parametrize(
    ("certificate", "signer", "token", "code"),
    [
        (None, None, "alpha", grpc.StatusCode.UNAVAILABLE),  # mTLS: no client certificate, no handshake
        (POD, "rogue", "alpha", grpc.StatusCode.UNAVAILABLE),  # the right name, signed by another CA
        ("pod-beta", None, "alpha", grpc.StatusCode.PERMISSION_DENIED),  # alpha's token over beta's certificate
        (POD, None, "admin", grpc.StatusCode.PERMISSION_DENIED),  # a pod's certificate never carries the admin
        (POD, None, "alpha", None),  # alpha's token over alpha's certificate
        ("client", None, "alpha", None),  # a certificate that names no pod leaves the token to decide
    ],
    ids=["no-cert", "other-ca", "other-pod", "admin-over-pod-cert", "own-cert", "operator-cert"],
)
def test_mtls_federation_checks_the_certificate_against_the_token(
    deployment: Deployment,
    pki: Certs,
    certificate: str | None,
    signer: str | None,
    token: str,
    code: grpc.StatusCode | None,
) -> None:
    client = pki.client(certificate, signer=pki.rogue if signer else None)
    metadata = auth.bearer_metadata(ADMIN_TOKEN if token == "admin" else POD_TOKENS[token])
    request = federation_pb2.RegisterPodRequest(
        pod_id="alpha",
        address=deployment.pod.server.address,
        language="python",
        execution_intent=common_pb2.EXECUTION_INTENT_TAKER,
    )
    with tls.open_channel(deployment.federation.address, client) as channel:
        stub = federation_pb2_grpc.FederationServiceStub(channel)
        if code is None:
            assert not stub.RegisterPod(request, metadata=metadata, timeout=5).created  # deploy() registered it
        else:
            assert _code(lambda: stub.RegisterPod(request, metadata=metadata, timeout=5)) is code


@pytest.mark.parametrize("deployment", [True], ids=["mtls"], indirect=True)
def test_mtls_pod_refuses_a_caller_whose_certificate_names_another_pod(deployment: Deployment, pki: Certs) -> None:
    metadata = auth.bearer_metadata(POD_TOKENS["alpha"])
    request = constitution_pb2.StatusRequest()
    with tls.open_channel(deployment.pod.server.address, pki.client("pod-beta")) as channel:
        stub = constitution_pb2_grpc.ConstitutionServiceStub(channel)
        assert _code(lambda: stub.Status(request, metadata=metadata, timeout=5)) is grpc.StatusCode.PERMISSION_DENIED
    with tls.open_channel(deployment.pod.server.address, pki.client()) as channel:
        stub = constitution_pb2_grpc.ConstitutionServiceStub(channel)
        assert _code(lambda: stub.Status(request, metadata=metadata, timeout=5)) is grpc.StatusCode.UNAVAILABLE
    with tls.open_channel(deployment.pod.server.address, pki.client("client")) as channel:
        status = constitution_pb2_grpc.ConstitutionServiceStub(channel).Status(request, metadata=metadata, timeout=5)
    assert status.status.pod_id == "alpha"


GATEWAY_TOKENS = {"alpha": "alpha-gw-token", "beta": "beta-gw-token"}


@dataclass
class TlsGateway:
    running: RunningGateway
    mutual: bool

    @property
    def address(self) -> str:
        return self.running.server.address


@pytest.fixture(params=[False, True], ids=["tls", "mtls"])
def gateway(
    request: pytest.FixtureRequest, pki: Certs, tmp_path: Path, loop_thread: LoopThread
) -> Iterator[TlsGateway]:
    settings = GatewaySettings(
        data_dir=tmp_path,
        pods={pod_id: PodAccess(token, "main") for pod_id, token in GATEWAY_TOKENS.items()},
        paper_accounts={"main": PaperAccountSettings({"BTC/USDT": Decimal(50_000)}, walk_interval_s=None)},
        listen="127.0.0.1:0",
        admin_token=ADMIN_TOKEN,
        tls=pki.server(mutual=request.param),
    )
    running = loop_thread.run(start_gateway(settings, StaticControls()))
    yield TlsGateway(running, request.param)
    loop_thread.run(running.stop())


def _prices(address: str, client: tls.ClientTls | None, token: str) -> gateway_pb2.ListPricesResponse:
    with tls.open_channel(address, client) as channel:
        stub = gateway_pb2_grpc.GatewayServiceStub(channel)
        request = gateway_pb2.ListPricesRequest(symbols=["BTC/USDT"])
        return stub.ListPrices(request, metadata=auth.bearer_metadata(token), timeout=5)


def test_gateway_serves_a_pod_over_tls(gateway: TlsGateway, pki: Certs) -> None:
    alpha = GATEWAY_TOKENS["alpha"]

    answer = _prices(gateway.address, pki.client(POD if gateway.mutual else None), alpha)

    assert [price.symbol for price in answer.prices] == ["BTC/USDT"]
    assert _code(lambda: _prices(gateway.address, None, alpha)) is grpc.StatusCode.UNAVAILABLE


@pytest.mark.parametrize("gateway", [True], ids=["mtls"], indirect=True)
@pytest.mark.parametrize(
    ("certificate", "signer", "token", "code"),
    [
        (None, None, "alpha", grpc.StatusCode.UNAVAILABLE),
        (POD, "rogue", "alpha", grpc.StatusCode.UNAVAILABLE),
        ("pod-beta", None, "alpha", grpc.StatusCode.PERMISSION_DENIED),
        (POD, None, "beta", grpc.StatusCode.PERMISSION_DENIED),
    ],
    ids=["no-cert", "other-ca", "alpha-token-beta-cert", "beta-token-alpha-cert"],
)
def test_mtls_gateway_refuses_a_wrong_certificate(
    gateway: TlsGateway, pki: Certs, certificate: str | None, signer: str | None, token: str, code: grpc.StatusCode
) -> None:
    client = pki.client(certificate, signer=pki.rogue if signer else None)

    assert _code(lambda: _prices(gateway.address, client, GATEWAY_TOKENS[token])) is code


def test_mtls_lake_lets_a_pod_read_only_under_its_own_name(pki: Certs, tmp_path: Path, loop_thread: LoopThread) -> None:
    settings = LakeSettings(
        tmp_path, "127.0.0.1:0", ADMIN_TOKEN, tls=pki.server(mutual=True), pod_tokens={"alpha": "alpha-reader"}
    )
    running = loop_thread.run(start_lake(settings))
    try:
        with LakeClient(running.address, "alpha-reader", tls=pki.client(POD)) as own:
            assert own.list_series() == []
        with LakeClient(running.address, "alpha-reader", tls=pki.client("pod-beta")) as other:
            assert _code(other.list_series) is grpc.StatusCode.PERMISSION_DENIED
        with LakeClient(running.address, ADMIN_TOKEN, tls=pki.client("client")) as operator:
            assert operator.list_series() == []
    finally:
        loop_thread.run(running.stop())


def test_configuration_tables_turn_on_tls_and_mtls(pki: Certs, tmp_path: Path) -> None:
    config = tmp_path / "federation.toml"
    config.write_text(
        f"""
        [tls]
        cert_file = "{pki.trusted / "server.pem"}"
        key_file = "{pki.trusted / "server-key.pem"}"
        client_ca_file = "{pki.trusted / "ca.pem"}"
        [client_tls]
        ca_file = "{pki.trusted / "ca.pem"}"
        cert_file = "{pki.trusted / "client.pem"}"
        key_file = "{pki.trusted / "client-key.pem"}"
        """
    )

    settings = load_settings(config, data_dir=tmp_path)

    assert settings.tls is not None and settings.tls.mutual
    assert settings.client_tls is not None and settings.client_tls.cert_chain is not None
    assert load_settings(None, data_dir=tmp_path).tls is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"cert_file": "missing.pem", "key_file": "server-key.pem"}, "tls.cert_file: cannot read"),
        ({"cert_file": "server.pem"}, "tls.key_file: required"),
        ({"cert_file": "server.pem", "key_file": "pod-alpha-key.pem"}, "tls.key_file: "),
        ({"cert_file": "server.pem", "key_file": "server-key.pem", "client_ca": "ca.pem"}, "tls.client_ca: unknown"),
        ({"cert_file": "server-key.pem", "key_file": "server-key.pem"}, "tls.cert_file: "),
    ],
    ids=["missing-file", "no-key", "key-of-another-cert", "misspelt-key", "key-as-cert"],
)
def test_a_bad_tls_table_is_a_configuration_error_naming_the_key(
    pki: Certs, table: dict[str, str], message: str
) -> None:
    resolved = {key: str(pki.trusted / value) if key != "client_ca" else value for key, value in table.items()}

    with pytest.raises(tls.TlsConfigError, match=f"^{message}"):
        tls.server_tls_from_table({"tls": resolved})


def test_client_tls_needs_both_certificate_and_key(pki: Certs) -> None:
    with pytest.raises(tls.TlsConfigError, match="client_tls.cert_file/client_tls.key_file: give both"):
        tls.client_tls_from_table({"client_tls": {"ca_file": str(pki.trusted / "ca.pem"), "cert_file": "x.pem"}})


def test_cli_writes_certificates_and_dials_an_mtls_federation(
    tmp_path: Path, loop_thread: LoopThread, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "certs"
    assert cli_main(["tls", "init", str(directory), "--pod", "alpha"]) == 0
    assert cli_main(["tls", "init", str(directory)]) == 2  # never overwrites a CA
    assert tls.pod_ids_in_certificate((directory / "pod-alpha.pem").read_bytes()) == ("alpha",)
    assert tls.pod_ids_in_certificate((directory / "client.pem").read_bytes()) == ()
    server = tls.load_server_tls(directory / "server.pem", directory / "server-key.pem", directory / "ca.pem")
    federation = loop_thread.run(start_federation(make_settings(tmp_path / "data", tls=server)))
    try:
        capsys.readouterr()
        base = ["--federation", federation.address, "--token", ADMIN_TOKEN, "--tls-ca", str(directory / "ca.pem")]
        client = [
            "--tls-client-cert",
            str(directory / "client.pem"),
            "--tls-client-key",
            str(directory / "client-key.pem"),
        ]

        assert cli_main([*base, *client, "pods"]) == 0
        assert cli_main([*base, "pods"]) == 1  # no client certificate: the handshake fails
        assert "UNAVAILABLE" in capsys.readouterr().err
    finally:
        loop_thread.run(federation.stop())
