#!/usr/bin/python3
"""The web console in a real browser (issue 14): headless Chromium driven
through WebDriver (Debian's chromium, chromium-driver, python3-selenium)
against a real `noticeboard play` with the API and the console on.

What a member of the office staff does: set the password (noticeboard
passwd), log in, import the bureau's bulletin, disable one item, edit one
summary, see the error for hours 25:00 next to its field, open the preview
of item 3 (a PNG of the screen's size), publish; then GET /api/v1/status
shows the new count and the screen shows the edited summary.

Then approval (issue 22): an editor edits a title, sets an item to end in
3 days and submits with a note (there is no publish button for her); the
approver sees the draft with the changed characters marked and its
preview, returns it with a comment; the editor sees the comment, fixes and
resubmits; the approver approves and the screen gets it; the audit log
shows every step, its CSV opens with a BOM, and the status page lists the
item that expires within 7 days.

    browser_test.py NOTICEBOARD_BINARY SOURCE_DIR [--screenshots DIR]

--screenshots writes the pages' pictures (docs/console/ holds the committed
ones). Exit 0 when every step held; a failed step says which and why.
"""
import argparse
import json
import os
import hashlib
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TOKEN = "0123456789abcdef0123456789abcdef"
PASSWORD = "office-staff-2026"
EDITED_SUMMARY = "本校开放日定于十二月十二日举行，欢迎家长到校参观。"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The screen listens on every address, so it serves HTTPS with the
# certificate it made itself; the test, like staff, checks its fingerprint
# (against the log and the status page) instead of an authority.
UNVERIFIED = ssl.create_default_context()
UNVERIFIED.check_hostname = False
UNVERIFIED.verify_mode = ssl.CERT_NONE


def api(port, path):
    req = urllib.request.Request("https://127.0.0.1:%d%s" % (port, path),
                                 headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(req, timeout=10, context=UNVERIFIED) as r:
        return r.read()


def served_fingerprint(port):
    pem = ssl.get_server_certificate(("127.0.0.1", port))
    digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def decode_png(data):
    """RGBA rows of an 8-bit RGB/RGBA PNG (what the player writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w, h, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG format"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    bpp = 4 if ctype == 6 else 3
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def difference(png_a, png_b, top_fraction=0.2):
    """Mean absolute difference of two pictures of one size, below the top
    band (which holds the clock), sampled every 4th pixel."""
    wa, ha, bpa, ra = decode_png(png_a)
    wb, hb, bpb, rb = decode_png(png_b)
    assert (wa, ha) == (wb, hb), "sizes differ: %dx%d vs %dx%d" % (wa, ha, wb, hb)
    total, n = 0, 0
    for y in range(int(ha * top_fraction), ha, 4):
        for x in range(0, wa, 4):
            for c in range(3):
                total += abs(ra[y][x * bpa + c] - rb[y][x * bpb + c])
                n += 1
    return total / n


class Steps:
    def __init__(self, driver, shots):
        self.d, self.shots, self.n = driver, shots, 0

    def wait(self, cond, what, timeout=30):
        try:
            return WebDriverWait(self.d, timeout).until(cond)
        except Exception:
            self.shot("failed")
            raise AssertionError("timed out waiting for " + what)

    def by_id(self, i):
        return self.d.find_element(By.ID, i)

    def click(self, i):
        self.wait(EC.element_to_be_clickable((By.ID, i)), "#" + i).click()

    def shot(self, name):
        if self.shots:
            self.d.save_screenshot(os.path.join(self.shots, name + ".png"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("source_dir")
    ap.add_argument("--screenshots")
    args = ap.parse_args()
    for tool in ("chromium", "chromedriver"):
        if not shutil.which(tool):
            print("browser_test: %s is missing (scripts/install-deps.sh installs it)" % tool)
            return 1

    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="nb-browser-")
    port = free_port()
    player = None
    driver = None
    try:
        token_file = os.path.join(work, "api-token")
        with open(token_file, "w") as f:
            f.write(TOKEN + "\n")
        passwords = os.path.join(work, "console-passwords")
        config = os.path.join(work, "config.json")
        with open(config, "w") as f:
            json.dump({"state_dir": os.path.join(work, "state"), "usb": {"enabled": False},
                       "api": {"enabled": True, "listen": "0.0.0.0:%d" % port,
                               "token_file": token_file, "password_file": passwords}}, f)
        start = os.path.join(work, "start.json")
        with open(start, "w") as f:
            json.dump({"version": 1, "title": "开学前", "items": [
                {"id": "welcome", "title": "欢迎来到本校", "summary": "新学期即将开始。"}]}, f)

        # 1. The password, as the guide says.
        for user, role in (("admin", "approver"), ("li", "editor")):
            r = subprocess.run([args.binary, "passwd", "--file", passwords, "--user", user,
                                "--role", role, "--password-stdin"],
                               input=PASSWORD + "\n", text=True, capture_output=True, timeout=60)
            assert r.returncode == 0, "passwd failed: " + r.stdout + r.stderr

        env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_RENDER_DRIVER="software")
        log = open(os.path.join(work, "play.log"), "w")
        player = subprocess.Popen([args.binary, "play", "--config", config, "--window",
                                   "1920x1080", start], env=env, stdout=log, stderr=log)
        deadline = time.time() + 60
        while True:
            try:
                status = json.loads(api(port, "/api/v1/status"))
                break
            except Exception:
                assert player.poll() is None, "play exited: " + open(log.name).read()
                assert time.time() < deadline, "the API did not come up"
                time.sleep(0.2)
        assert status["playlist"]["items"] == 1
        fingerprint = served_fingerprint(port)
        assert fingerprint in open(log.name).read(), "the log does not show " + fingerprint

        opts = Options()
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768",
                  "--lang=zh-CN", "--disable-dev-shm-usage", "--ignore-certificate-errors"):
            opts.add_argument(a)
        opts.binary_location = shutil.which("chromium")
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
        s = Steps(driver, args.screenshots)
        driver.get("https://127.0.0.1:%d/" % port)

        # 2. Log in (a wrong password first: the message, no way in).
        s.wait(EC.visibility_of_element_located((By.ID, "login-password")), "the login form")
        s.shot("1-login")
        s.by_id("login-password").send_keys("not-it")
        s.click("login-submit")
        s.wait(lambda d: s.by_id("login-error").text, "the wrong-password message")
        s.by_id("login-password").send_keys(PASSWORD)
        s.click("login-submit")
        s.wait(EC.visibility_of_element_located((By.ID, "panel-status")), "the status page")
        s.wait(lambda d: d.execute_script(
            "const i=document.getElementById('screen-img');return i.complete&&i.naturalWidth"),
               "the screen's picture on the status page")
        s.wait(lambda d: "欢迎来到本校" in s.by_id("status-list").text, "what plays")
        assert fingerprint in s.by_id("status-list").text, "the status page lacks the fingerprint"
        s.shot("2-status")

        # 3. Import the bureau's bulletin.
        s.click("tab-import")
        s.by_id("import-file").send_keys(os.path.join(os.path.abspath(args.source_dir),
                                                      "playlists/tianjin-education.txt"))
        s.click("import-read")
        s.wait(EC.visibility_of_element_located((By.ID, "import-review")), "the import review")
        count = len(driver.find_elements(By.CSS_SELECTOR, "#import-items li"))
        assert count == 15, "imported %d items, expected 15" % count
        driver.execute_script("document.getElementById('import-review').scrollIntoView()")
        s.shot("3-import")
        s.click("import-replace")
        s.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#items > li")) == 15,
               "15 items in the draft")

        # 4. Disable item 2, edit item 1's summary, a bad hours on item 3.
        s.by_id("enabled-1").click()
        summary = driver.find_element(By.CSS_SELECTOR, '[data-pointer="/items/0/summary"]')
        summary.clear()
        summary.send_keys(EDITED_SUMMARY)
        hours = driver.find_element(By.CSS_SELECTOR, '[data-pointer="/items/2/schedule/hours"]')
        hours.send_keys("25:00-18:00")
        s.click("check-draft")
        err = s.wait(lambda d: d.find_element(
            By.CSS_SELECTOR, '[data-error-for="/items/2/schedule/hours"]').text,
                     "the error next to the hours field")
        assert "25:00" in err, "the hours error does not name 25:00: " + err
        # The error sits right after its own field, inside item 3.
        item3 = driver.find_element(By.CSS_SELECTOR, 'li[data-pointer="/items/2"]')
        assert "has-error" in item3.get_attribute("class")
        driver.execute_script("arguments[0].scrollIntoView({block:'center'})", hours)
        s.shot("4-playlist-error")
        hours = driver.find_element(By.CSS_SELECTOR, '[data-pointer="/items/2/schedule/hours"]')
        hours.clear()
        hours.send_keys("07:00-18:00")
        s.click("check-draft")
        s.wait(lambda d: "检查通过" in s.by_id("draft-message").text, "the draft to pass")

        # 5. The preview of item 3: a PNG of the screen's size.
        preview_buttons = driver.find_elements(By.XPATH, '//li[@data-pointer="/items/2"]'
                                               '//button[text()="预览"]')
        preview_buttons[0].click()
        size = s.wait(lambda d: d.execute_script(
            "const i=document.querySelector('#stage img.shown');"
            "return i&&i.complete&&i.naturalWidth?[i.naturalWidth,i.naturalHeight]:null"),
                      "the preview of item 3")
        assert size == [1920, 1080], "preview size %r" % size
        driver.execute_script("window.scrollTo(0, 0)")
        s.shot("5-preview")

        # 6. Publish.
        published_at = time.time()
        s.click("publish")
        msg = s.wait(lambda d: s.by_id("publish-message").text or s.by_id("publish-error").text,
                     "the publish outcome")
        assert "已发布" in msg, "publish: " + msg
        s.shot("6-published")
        status = json.loads(api(port, "/api/v1/status"))
        assert status["playlist"]["items"] == 15, status
        assert status["last_update"]["source"].startswith("console:"), status
        new_ids = {it["id"] for it in json.loads(driver.execute_script(
            "return JSON.stringify(state.draft)"))["items"]}
        while json.loads(api(port, "/api/v1/status"))["playing"]["id"] not in new_ids:
            assert time.time() < published_at + 60, "the new playlist never came on screen"
            time.sleep(0.1)
        print("browser_test: publish to the new playlist on screen: %.1f s (the swap waits for "
              "the end of the slide playing)" % (time.time() - published_at))

        # 7. The screen shows the edited summary: once item 1 is on screen, the
        # screenshot matches the console's own preview of the edited item
        # (same engine, same size) and not the unedited one.
        first_id = json.loads(driver.execute_script("return JSON.stringify(state.draft)"))[
            "items"][0]["id"]
        deadline = time.time() + 60
        while json.loads(api(port, "/api/v1/status"))["playing"]["id"] != first_id:
            assert time.time() < deadline, "item 1 never came on screen"
            time.sleep(0.3)
        time.sleep(1.0)  # past the crossfade
        screen = api(port, "/api/v1/screenshot.png")
        draft = json.loads(driver.execute_script("return JSON.stringify(state.draft)"))
        edited = preview_png(driver, draft, 0)
        draft["items"][0]["summary"] = "原来的摘要" * 10
        other = preview_png(driver, draft, 0)
        near, far = difference(screen, edited), difference(screen, other)
        assert near < far / 3, "screen vs edited preview %.2f, vs other %.2f" % (near, far)
        print("browser_test: screen vs edited preview %.2f, vs a different summary %.2f"
              % (near, far))
        approval_flow(driver, s, port)
        alert_flow(driver, s, port)
        print("browser_test: all steps passed")
        return 0
    finally:
        if driver:
            driver.quit()
        if player:
            player.terminate()
            try:
                player.wait(timeout=20)
            except subprocess.TimeoutExpired:
                player.kill()
        shutil.rmtree(work, ignore_errors=True)


def log_in_as(driver, s, user):
    """Logs out whoever is in, then logs in as `user`."""
    driver.execute_script("window.scrollTo(0, 0)")
    if s.by_id("logout").is_displayed():
        s.click("logout")
    s.wait(EC.visibility_of_element_located((By.ID, "login-password")), "the login form")
    s.by_id("login-user").clear()
    s.by_id("login-user").send_keys(user)
    s.by_id("login-password").send_keys(PASSWORD)
    s.click("login-submit")
    s.wait(EC.visibility_of_element_located((By.ID, "panel-status")), "the status page")
    s.wait(lambda d: user in s.by_id("who-name").text, "logged in as " + user)


def edit_field(driver, pointer, text):
    el = driver.find_element(By.CSS_SELECTOR, '[data-pointer="%s"]' % pointer)
    driver.execute_script("arguments[0].scrollIntoView({block:'center'})", el)
    el.clear()
    el.send_keys(text + Keys.TAB)


def submit_draft(driver, s, note):
    s.click("tab-preview")
    assert not s.by_id("publish").is_displayed(), "an editor sees the publish button"
    s.by_id("submit-note").clear()
    s.by_id("submit-note").send_keys(note)
    s.click("submit-draft")
    msg = s.wait(lambda d: s.by_id("submit-message").text or s.by_id("submit-error").text,
                 "the submit outcome")
    assert "已提交审核" in msg, "submit: " + msg


def open_first_waiting(driver, s):
    s.click("tab-review")
    s.wait(lambda d: d.find_elements(By.XPATH, '//ul[@id="review-waiting"]//button[text()="查看"]'),
           "a waiting draft")
    driver.find_element(By.XPATH, '//ul[@id="review-waiting"]//button[text()="查看"]').click()
    s.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#review-diff ins"), "the marked changes")
    s.wait(lambda d: d.execute_script(
        "const i=document.getElementById('review-preview');return i.complete&&i.naturalWidth"),
           "the draft's preview")


def approval_flow(driver, s, port):
    before = json.loads(api(port, "/api/v1/status"))["playlist"]["hash"]
    # The editor: a title edited, item 2 to end in 3 days, submitted.
    log_in_as(driver, s, "li")
    s.click("tab-playlist")
    s.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#items > li")) == 15, "the playlist")
    edit_field(driver, "/items/0/title", "本校开放日（十二月十九日）")
    until = time.strftime("%Y-%m-%d", time.localtime(time.time() + 3 * 86400))
    edit_field(driver, "/items/1/schedule/until", until)
    submit_draft(driver, s, "开放日改期，请审核")
    s.shot("7-editor-submit")

    # The approver: the draft, its changes marked, its preview; returned.
    log_in_as(driver, s, "admin")
    s.wait(lambda d: s.by_id("review-count").text == "1", "one draft waiting")
    open_first_waiting(driver, s)
    marked = "".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, "#review-diff ins"))
    assert "（十二月十九日）" in marked, "the added characters are not marked: " + marked
    assert "开放日改期" in s.by_id("review-note").text
    s.shot("8-approver-review")
    s.click("review-return")  # without a comment: refused
    s.wait(lambda d: s.by_id("decide-error").text, "the missing comment")
    s.by_id("review-comment").send_keys("标题请写“开放日改期”")
    s.click("review-return")
    s.wait(lambda d: "已退回" in s.by_id("decide-message").text, "the return")

    # The editor: the comment, fixed, resubmitted.
    log_in_as(driver, s, "li")
    s.click("tab-review")
    s.wait(lambda d: "标题请写" in s.by_id("review-waiting").text, "the approver's comment")
    s.shot("9-editor-returned")
    driver.find_element(By.XPATH, '//button[text()="修改后重新提交"]').click()
    s.wait(EC.visibility_of_element_located((By.ID, "panel-playlist")), "the returned draft")
    edit_field(driver, "/items/0/title", "本校开放日改期至十二月十九日")
    submit_draft(driver, s, "已按意见修改")
    assert json.loads(api(port, "/api/v1/status"))["playlist"]["hash"] == before, \
        "submitting changed the screen"

    # The approver approves; the screen gets it.
    log_in_as(driver, s, "admin")
    open_first_waiting(driver, s)
    s.click("review-approve")
    s.wait(EC.alert_is_present(), "the confirmation")
    driver.switch_to.alert.accept()
    msg = s.wait(lambda d: s.by_id("decide-message").text or s.by_id("decide-error").text,
                 "the approval")
    assert "已批准并发布" in msg, "approve: " + msg
    status = json.loads(api(port, "/api/v1/status"))
    assert status["playlist"]["hash"] != before, status

    # The audit log: every step, newest first; the CSV for Excel.
    s.click("tab-audit")
    s.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#audit-rows tr")) >= 6, "the log")
    rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#audit-rows tr")]
    assert "批准发布" in rows[0] and "admin" in rows[0], rows[0]
    assert status["playlist"]["hash"][:12] in rows[0], rows[0]
    assert "重新提交" in rows[1] and "li" in rows[1], rows[1]
    s.shot("10-audit")
    csv = driver.execute_async_script("""
        const done = arguments[0];
        fetch('/console/api/audit.csv').then((r) => r.arrayBuffer()).then((b) => {
          const u = new Uint8Array(b); done([u[0], u[1], u[2], new TextDecoder().decode(u)]); });""")
    assert csv[:3] == [0xEF, 0xBB, 0xBF], "the CSV has no BOM"
    assert "标题请写" in csv[3], "the CSV lacks the comment"

    # The status page names the item that ends within 7 days.
    s.click("tab-status")
    s.wait(lambda d: s.by_id("status-expiring").is_displayed(), "the expiring items")
    assert until in s.by_id("status-expiring-list").text
    driver.execute_script("document.getElementById('status-expiring').scrollIntoView()")
    s.shot("11-expiring")
    print("browser_test: approval flow passed (submit, return, resubmit, approve, log, CSV)")


def alert_flow(driver, s, port):
    """Urgent notices (issue 15): an editor sees them but has no form; the
    approver sends one, the screen shows it (red) within seconds, the log
    records it; cancelled, the bulletin comes back."""
    log_in_as(driver, s, "li")
    s.click("tab-status")
    assert not s.by_id("alert-form").is_displayed(), "an editor sees the alert form"
    assert s.by_id("alerts-editor").is_displayed()

    log_in_as(driver, s, "admin")
    s.click("tab-status")
    s.wait(lambda d: s.by_id("alert-form").is_displayed(), "the alert form")
    s.by_id("alert-title").send_keys("今日停课")
    s.by_id("alert-text").send_keys("受暴雨影响，今日全天停课。已到校的学生请留在教学楼内。")
    Select(s.by_id("alert-severity")).select_by_value("critical")
    s.click("alert-send")
    s.wait(EC.alert_is_present(), "the confirmation")
    driver.switch_to.alert.accept()
    sent_at = time.time()
    s.wait(lambda d: "已发布" in s.by_id("alert-message").text, "the alert sent")
    status = json.loads(api(port, "/api/v1/status"))
    assert status["alerts"] and status["alerts"][0]["title"] == "今日停课", status
    time.sleep(1.0)  # a critical one cuts in at the next frame; the ticker runs on
    red = share_of(api(port, "/api/v1/screenshot.png"), (0xA3, 0x21, 0x1B))
    assert red > 0.5, "the screen is %.0f %% the alert's red" % (red * 100)
    print("browser_test: urgent notice on screen (%.0f %% of it red) %.1f s after it was sent"
          % (red * 100, time.time() - sent_at))
    s.wait(lambda d: "今日停课" in s.by_id("alerts-list").text, "the alert in the list")
    driver.execute_script("document.getElementById('alerts').scrollIntoView()")
    s.shot("12-alert")
    s.by_id("alerts-list").find_element(By.TAG_NAME, "button").click()
    s.wait(EC.alert_is_present(), "the confirmation")
    driver.switch_to.alert.accept()
    s.wait(lambda d: "已取消" in s.by_id("alert-message").text, "the alert cancelled")
    assert not json.loads(api(port, "/api/v1/status"))["alerts"]
    s.click("tab-audit")
    s.wait(lambda d: "取消紧急通知" in d.find_element(By.CSS_SELECTOR, "#audit-rows tr").text,
           "the cancel in the log")
    rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#audit-rows tr")]
    assert "发布紧急通知" in rows[1] and "admin" in rows[1], rows[1]
    print("browser_test: urgent notice sent, shown, cancelled and logged")


def share_of(png, rgb):
    """The share of the picture's pixels in exactly this colour."""
    width, height, bpp, rows = decode_png(png)
    n = sum(1 for row in rows for i in range(0, len(row), bpp) if tuple(row[i:i + 3]) == rgb)
    return n / (width * height)


def preview_png(driver, draft, item):
    """The console's preview of one item of `draft`, fetched by the page."""
    b64 = driver.execute_async_script("""
        const [draft, item, done] = arguments;
        (async () => {
          for (;;) {
            const r = await fetch('/console/api/preview?item=' + item + '&w=1920&h=1080', {
              method: 'POST', body: JSON.stringify(draft),
              headers: {'Content-Type': 'application/json', 'X-CSRF-Token': state.csrf}});
            if (r.status === 503) { await new Promise((ok) => setTimeout(ok, 500)); continue; }
            const buf = new Uint8Array(await r.arrayBuffer());
            let s = ''; for (const b of buf) s += String.fromCharCode(b);
            done(btoa(s)); return;
          }
        })();""", draft, item)
    import base64
    return base64.b64decode(b64)


if __name__ == "__main__":
    sys.exit(main())
