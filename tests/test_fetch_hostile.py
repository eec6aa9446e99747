"""``borderrisk fetch`` against a hostile or broken server (tests/sources_server.py on
127.0.0.1): credentials never leave for another host nor show in a message, answers of the
wrong size or shape end in one clear line, a source that pages forever is stopped, and the
cache and dataset folders are only ever the user's own."""

import hashlib
import json
import os
import stat
import zipfile
from datetime import date

import pytest
from sources_server import Failure, Server, Sources, gdelt_file
from test_fetch import acled_events, fetch_acled, gdelt_sources, ids, no_sleep, private_cache, ucdp_events

from borderrisk.data.readers import read_dataset
from borderrisk.fetch import FetchError, fetch, http
from borderrisk.fetch import acled as acled_source
from borderrisk.fetch import gdelt as gdelt_source
from borderrisk.fetch import ucdp as ucdp_source
from borderrisk.fetch.credentials import private_folder

from exports import REAL_GDELT_ZIP, acled_row, ucdp_row

__all__ = ["private_cache"]  # the autouse fixture: credentials in the environment, a private cache


@pytest.fixture
def server():
    with Server(Sources(acled_events=acled_events(), ucdp_events=ucdp_events())) as running:
        yield running


@pytest.fixture
def elsewhere():
    """Another host (another port of 127.0.0.1: another origin), recording what it is sent."""
    with Server(Sources()) as running:
        yield running


def sent_elsewhere(elsewhere):
    return [headers for _, _, _, headers in elsewhere.sources.requests]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_host_does_not_carry_the_acled_token(server, elsewhere, tmp_path, status):
    server.sources.fail("/api/acled/read", Failure(status, {"Location": f"{elsewhere.url}/api/acled/read"}, b""))
    fetch_acled(server, tmp_path / "events")  # refused there, the run logs in again and goes on here
    (headers,) = sent_elsewhere(elsewhere)
    assert "authorization" not in headers


def test_a_redirect_to_another_host_does_not_carry_the_ucdp_token(server, elsewhere, tmp_path):
    location = f"{elsewhere.url}/api/gedevents/25.1"
    server.sources.fail("/api/gedevents/25.1", Failure(307, {"Location": location}, b""))
    with pytest.raises(FetchError, match="needs an access token"):
        fetch("ucdp", tmp_path / "e", since=date(2023, 1, 1), base_url=server.url, sleep=no_sleep)
    (headers,) = sent_elsewhere(elsewhere)
    assert "x-ucdp-access-token" not in headers


def test_a_redirect_on_the_same_host_keeps_the_token(server, tmp_path):
    server.sources.fail("/api/acled/read", Failure(302, {"Location": f"{server.url}/api/acled/read?page=1"}, b""))
    fetch_acled(server, tmp_path / "events")
    redirected = [h for _, path, p, h in server.sources.requests if path == "/api/acled/read" and p == {"page": "1"}]
    assert redirected and all(h["authorization"].startswith("Bearer access-") for h in redirected)


def test_secrets_a_server_sends_back_are_not_shown(server, tmp_path):
    fetch_acled(server, tmp_path / "events")  # a token cached
    (token,) = server.sources.tokens
    echo = f'{{"error": "bad header: Authorization: Bearer {token}; password right password"}}'.encode()
    server.sources.fail("/api/acled/read", Failure(400, body=echo))
    with pytest.raises(FetchError) as error:
        fetch("acled", tmp_path / "events", base_url=server.url, sleep=no_sleep)
    assert token not in str(error.value) and "right password" not in str(error.value)
    server.sources.fail("/api/gedevents/25.1", Failure(200, body=b"<html>token ucdp-secret-token refused</html>"))
    with pytest.raises(FetchError, match="not JSON") as error:
        fetch("ucdp", tmp_path / "u", since=date(2023, 1, 1), base_url=server.url, sleep=no_sleep)
    assert "ucdp-secret-token" not in str(error.value)


def test_a_token_answer_that_is_not_json_is_not_quoted(server, tmp_path):
    server.sources.fail("/oauth/token", Failure(200, body=b"access_token=NEW-SECRET-TOKEN&refresh_token=R"))
    with pytest.raises(FetchError, match="token") as error:
        fetch_acled(server, tmp_path / "events")
    assert "NEW-SECRET-TOKEN" not in str(error.value)


def test_an_answer_larger_than_any_page_is_refused_without_holding_it(server, tmp_path, monkeypatch):
    monkeypatch.setattr(http, "MAX_BODY", 10_000)
    server.sources.fail("/api/acled/read", Failure(200, body=b'{"data": [' + b" " * 50_000 + b"]}"))
    with pytest.raises(FetchError, match="more than 10,000 bytes"):
        fetch_acled(server, tmp_path / "events")
    assert not (tmp_path / "events").exists()


@pytest.mark.parametrize(
    "body", [b'{"data": "text"}', b'{"data": {"a": 1}}', b'{"data": [1, 2]}', b'{"data": [["a"]]}']
)
def test_acled_answers_of_the_wrong_shape_are_one_clear_error(server, tmp_path, body):
    server.sources.fail("/api/acled/read", Failure(200, body=body))
    with pytest.raises(FetchError, match="ACLED sent a page that is not"):
        fetch_acled(server, tmp_path / "events")


@pytest.mark.parametrize(
    "body", [b"[1, 2]", b"null", b'{"Result": "text"}', b'{"Result": [1]}', b'{"Result": [], "NextPageUrl": 5}']
)
def test_ucdp_answers_of_the_wrong_shape_are_one_clear_error(server, tmp_path, body):
    server.sources.fail("/api/gedevents/25.1", Failure(200, body=body))
    with pytest.raises(FetchError, match="UCDP sent a page that is not"):
        fetch("ucdp", tmp_path / "e", since=date(2023, 1, 1), base_url=server.url, sleep=no_sleep)


def test_an_acled_page_that_repeats_is_stopped(server, tmp_path, monkeypatch):
    monkeypatch.setattr(acled_source, "PAGE_ROWS", 2)
    page = (
        b'{"success": true, "data": %s}'
        % str([acled_row(event_id_cnty="BOL1"), acled_row(event_id_cnty="BOL2")]).replace("'", '"').encode()
    )
    server.sources.fail("/api/acled/read", *[Failure(200, body=page)] * 3)
    with pytest.raises(FetchError, match="page 2 repeats"):
        fetch_acled(server, tmp_path / "events")


def test_a_ucdp_next_page_that_points_back_is_stopped(server, tmp_path):
    back = "https://ucdpapi.pcr.uu.se/api/gedevents/25.1?page=0"
    loop = b'{"TotalCount": 1, "TotalPages": 1, "NextPageUrl": "%s", "Result": []}' % back.encode()
    server.sources.fail("/api/gedevents/25.1", *[Failure(200, body=loop)] * 3)
    with pytest.raises(FetchError, match="pages in a loop"):
        fetch("ucdp", tmp_path / "e", since=date(2023, 1, 1), base_url=server.url, sleep=no_sleep)


def test_a_gdelt_zip_that_unpacks_to_more_than_any_export_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(gdelt_source, "MAX_EXPORT_BYTES", 1_000_000)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20191024141500.export.CSV", b"\t" * 5_000_000)
    sources = Sources(gdelt_files={"20191024141500.export.CSV.zip": bomb.read_bytes()})
    with Server(sources) as server, pytest.raises(FetchError, match="unpacks to more than"):
        fetch("gdelt", tmp_path / "e", base_url=f"{server.url}/gdeltv2", sleep=no_sleep)


def test_a_gdelt_list_with_impossible_stamps_is_one_clear_error(tmp_path):
    with Server(gdelt_sources("20191399141500")) as server, pytest.raises(FetchError, match="not SIZE MD5 URL"):
        fetch("gdelt", tmp_path / "e", base_url=f"{server.url}/gdeltv2", sleep=no_sleep)


def test_a_gdelt_list_that_names_no_export_is_an_error_not_nothing_new(tmp_path):
    with Server(gdelt_sources("20191024141500")) as server:
        server.sources.fail("/gdeltv2/lastupdate.txt", Failure(200, body=b"<html>maintenance</html>"))
        with pytest.raises(FetchError, match=r"lastupdate\.txt names no events export"):
            fetch("gdelt", tmp_path / "e", base_url=f"{server.url}/gdeltv2", sleep=no_sleep)


def test_a_dataset_named_through_a_symlink_is_refreshed_where_it_lives(server, tmp_path):
    fetch_acled(server, tmp_path / "real")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    server.sources.acled_events.append(acled_row(event_id_cnty="BOL7", event_date="2023-08-01", timestamp="1800000000"))
    outcome = fetch("acled", tmp_path / "link", base_url=server.url, sleep=no_sleep)
    assert outcome.fetched == 1
    assert (tmp_path / "link").is_symlink() and ids(tmp_path / "link") == ["ARG1", "BOL1", "BOL2", "BOL7"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["cache", "link", "real"]


def test_a_cache_folder_left_open_to_others_is_closed_before_a_token_goes_in(server, tmp_path):
    cache = tmp_path / "cache"
    (cache / "tokens").mkdir(parents=True)
    for folder in (cache, cache / "tokens"):
        os.chmod(folder, 0o777)  # as a umask of 000 leaves it
    fetch_acled(server, tmp_path / "events")
    for folder in (cache, cache / "tokens"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_cache_folder_of_another_user_is_not_used(server, tmp_path, monkeypatch):
    (tmp_path / "cache").mkdir()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    with pytest.raises(FetchError, match="belongs to another user"):
        private_folder("tokens")


def test_tokens_are_private_whatever_the_umask(server, tmp_path):
    old = os.umask(0)
    try:
        fetch_acled(server, tmp_path / "events")
    finally:
        os.umask(old)
    cache = tmp_path / "cache"
    for path in [cache, *cache.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o022 == 0, path


def test_a_symlink_planted_for_the_token_file_is_not_followed(server, tmp_path):
    fetch_acled(server, tmp_path / "events")
    (token_file,) = (tmp_path / "cache" / "tokens").iterdir()
    planted = tmp_path / "planted"
    planted.write_text("theirs")
    for pid_file in [token_file.with_name(f".{token_file.name}.{os.getpid()}.tmp")]:
        pid_file.symlink_to(planted)
    token_file.unlink()
    fetch_acled(server, tmp_path / "events2")
    assert planted.read_text() == "theirs"
    assert not token_file.is_symlink() and stat.S_IMODE(token_file.stat().st_mode) == 0o600


def test_a_date_in_the_future_does_not_stop_later_refreshes(server, tmp_path):
    """An event dated years ahead (a typo at the source, a hostile server) would become the
    newest date held, and every later refresh would ask only for what comes after it."""
    future = ucdp_row(id="99", date_start="2099-01-01 00:00:00.000", date_end="2099-01-01 00:00:00.000")
    server.sources.ucdp_events.append(future)
    fetch("ucdp", tmp_path / "e", since=date(2023, 1, 1), base_url=server.url, sleep=no_sleep)
    fetch("ucdp", tmp_path / "e", base_url=server.url, sleep=no_sleep)
    assert server.sources.requests[-1][2]["StartDate"] <= date.today().isoformat()


def test_a_gdelt_stamp_in_the_future_is_not_taken(tmp_path):
    sources = gdelt_sources("20191024141500", "29991024141500")
    with Server(sources) as server, pytest.raises(FetchError, match="not SIZE MD5 URL"):
        fetch("gdelt", tmp_path / "e", base_url=f"{server.url}/gdeltv2", sleep=no_sleep)


def test_a_token_answer_with_a_strange_lifetime_is_taken_for_a_day(server, tmp_path):
    answer = b'{"token_type": "Bearer", "access_token": "access-1-secret", "expires_in": "a day"}'
    server.sources.tokens["access-1-secret"] = 4_000_000_000
    server.sources.fail("/oauth/token", Failure(200, body=answer))
    assert fetch_acled(server, tmp_path / "events").fetched == 3


ASKED = {"countries": ["Bolivia", "Argentina"], "since": "2023-01-01"}


@pytest.mark.parametrize(
    "state",
    [
        '["acled"]',
        '{"acled": 5}',
        json.dumps({"acled": {"timestamp": "soon", "query": ASKED}}),
        '{"acled": {"query": {"countries": "Bolivia", "since": "last year"}}}',
    ],
)
def test_a_damaged_record_of_earlier_fetches_is_one_clear_error(server, tmp_path, state):
    fetch_acled(server, tmp_path / "events")
    (tmp_path / "events" / ".fetch.json").write_text(state, encoding="utf-8")
    with pytest.raises(FetchError, match=r"\.fetch\.json is damaged"):
        fetch("acled", tmp_path / "events", base_url=server.url, sleep=no_sleep)


@pytest.mark.parametrize("status", [302, 307, 308])
def test_a_redirected_login_does_not_post_the_password_elsewhere(server, elsewhere, tmp_path, status):
    server.sources.fail("/oauth/token", Failure(status, {"Location": f"{elsewhere.url}/oauth/token"}, b""))
    with pytest.raises(FetchError):
        fetch_acled(server, tmp_path / "events")
    assert [params for _, _, params, _ in elsewhere.sources.requests if "password" in params] == []


def test_a_gdelt_file_listed_larger_than_any_answer_is_not_downloaded(tmp_path, monkeypatch):
    monkeypatch.setattr(http, "MAX_BODY", 1_000)
    with Server(gdelt_sources("20191024141500")) as server, pytest.raises(FetchError, match="more than 1,000 bytes"):
        fetch("gdelt", tmp_path / "e", base_url=f"{server.url}/gdeltv2", sleep=no_sleep)


def test_an_answer_that_trickles_in_is_asked_again_not_waited_for_forever(server, tmp_path):
    """Each byte comes before the timeout, so no single read times out: the answer as a whole
    must keep a pace (a server that drips would otherwise hold the run for ever)."""
    trickle = Failure(200, body=b'{"data": [' + b" " * 400 + b"]}", drip=0.05)
    server.sources.fail("/api/acled/read", trickle)
    said = []
    fetch_acled(server, tmp_path / "events", say=said.append, timeout=1)
    assert any("did not answer within 1 s" in line for line in said)
    assert ids(tmp_path / "events") == ["ARG1", "BOL1", "BOL2"]


def test_acled_paging_without_end_is_stopped_at_more_pages_than_acled_holds(server, tmp_path, monkeypatch):
    monkeypatch.setattr(acled_source, "PAGE_ROWS", 1)
    monkeypatch.setattr(acled_source, "MAX_PAGES", 2)
    with pytest.raises(FetchError, match="more than 2 pages"):
        fetch_acled(server, tmp_path / "events")


def test_urls_in_gdelt_lists_name_a_file_fetched_from_base_url_only(tmp_path):
    sources = gdelt_sources("20191024141500")
    data = sources.gdelt_files["20191024141500.export.CSV.zip"]
    size, md5 = len(data), hashlib.md5(data).hexdigest()
    hostile = f"{size} {md5} file:///etc/20191024141500.export.CSV.zip\n{size} {md5} http://elsewhere.invalid/x/20191024141500.export.CSV.zip\n"
    with Server(sources) as server:
        server.sources.fail("/gdeltv2/lastupdate.txt", Failure(200, body=hostile.encode()))
        fetch("gdelt", tmp_path / "e", base_url=f"{server.url}/gdeltv2", sleep=no_sleep)
        assert [path for _, path, _, _ in server.sources.requests][-1] == "/gdeltv2/20191024141500.export.CSV.zip"


def test_a_zip_member_named_outside_is_read_not_extracted(tmp_path):
    real = zipfile.ZipFile(REAL_GDELT_ZIP)
    inside = real.read(real.namelist()[0])
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../escaped.export.CSV", inside)
    with Server(Sources(gdelt_files={"20191024141500.export.CSV.zip": hostile.read_bytes()})) as server:
        assert fetch("gdelt", tmp_path / "a" / "b" / "e", base_url=f"{server.url}/gdeltv2", sleep=no_sleep).fetched
    assert not list(tmp_path.rglob("escaped*")) and not list(tmp_path.parent.glob("escaped*"))


@pytest.mark.parametrize(("value", "waited"), [("-5", 0), ("99999999", 120), ("Fri, 31 Dec 2999 23:59:59 GMT", 120)])
def test_retry_after_below_zero_or_far_ahead_is_kept_within_bounds(server, tmp_path, value, waited):
    slept = []
    server.sources.fail("/api/acled/read", Failure(429, {"Retry-After": value}))
    fetch("acled", tmp_path / "events", countries=["Bolivia"], base_url=server.url, sleep=slept.append)
    assert slept == [waited]


def test_an_event_that_changes_date_a_deletion_of_nothing_held_and_a_rerun_leave_one_row_each(server, tmp_path):
    fetch_acled(server, tmp_path / "a")
    fetch_acled(server, tmp_path / "b")
    assert {f.name: f.read_bytes() for f in (tmp_path / "a").iterdir()} == {
        f.name: f.read_bytes() for f in (tmp_path / "b").iterdir()
    }
    events = server.sources.acled_events
    events[0] = {**events[0], "event_date": "2024-01-05", "timestamp": "1700000500"}  # BOL1 moved a year on
    server.sources.acled_deleted.append({"event_id_cnty": "NEVER1", "deleted_timestamp": "1700000600"})
    outcome = fetch("acled", tmp_path / "a", base_url=server.url, sleep=no_sleep)
    assert (outcome.fetched, outcome.deleted, outcome.total) == (1, 0, 3)
    frame = read_dataset(tmp_path / "a").set_index("event_id")
    assert frame.index.is_unique and str(frame.loc["BOL1", "date"].date()) == "2024-01-05"


def test_gdelt_files_already_in_the_dataset_leave_the_cache(tmp_path):
    """A cached export lets a killed run resume; once a later run starts from after it, the
    dataset holds its events and the cache need not (four files an hour would pile up)."""
    with Server(gdelt_sources("20191024141500")) as server:
        base = f"{server.url}/gdeltv2"
        fetch("gdelt", tmp_path / "e", countries=["USA"], base_url=base, sleep=no_sleep)
        cache = tmp_path / "cache" / "gdelt"
        assert [p.name for p in cache.iterdir()] == ["20191024141500.export.CSV.zip"]
        name, data = gdelt_file(REAL_GDELT_ZIP, "20191024143000")
        server.sources.gdelt_files[name] = data
        fetch("gdelt", tmp_path / "e", base_url=base, sleep=no_sleep)
        assert [p.name for p in cache.iterdir()] == ["20191024143000.export.CSV.zip"]


def test_a_token_cached_for_one_acled_account_is_not_used_for_another(server, tmp_path, monkeypatch):
    fetch_acled(server, tmp_path / "a")
    monkeypatch.setenv("ACLED_EMAIL", "colleague@example.org")
    fetch_acled(server, tmp_path / "b")
    asked = [params for _, path, params, _ in server.sources.requests if path == "/oauth/token"]
    grants = [(params["grant_type"], params.get("username")) for params in asked]
    assert grants == [("password", "analyst@example.org"), ("password", "colleague@example.org")]


def test_records_without_the_sources_columns_are_named_as_its_answer_not_a_staging_file(server, tmp_path):
    server.sources.fail("/api/acled/read", Failure(200, body=b'{"success": true, "data": [{"x": 1}]}'))
    with pytest.raises(FetchError, match="ACLED's answer, header, field 'event_date'") as error:
        fetch_acled(server, tmp_path / "events")
    assert "borderrisk-" not in str(error.value)  # the staging folder, gone by the time it is read


@pytest.mark.parametrize("count", ["[]", json.dumps({"day": date.today().isoformat(), "used": "many"}), "7"])
def test_a_damaged_count_of_ucdp_requests_is_taken_as_none_used(tmp_path, count):
    (private_folder("requests") / "ucdp.json").write_text(count, encoding="utf-8")
    assert ucdp_source.daily_budget().used == 0
