"""The daily mix, for reliability/scale_out.py: members log ideas, develop them (edit form with its
version) and submit them, mentors review what waits, managers read the board, the list and the
overview. Each simulated person signs in through the form on one of the servers (alternating).

Environment: RELIABILITY_HOSTS (base URLs, comma-separated), RELIABILITY_TEAM (team id),
RELIABILITY_ACCOUNTS (JSON: role -> staff IDs), RELIABILITY_PASSWORD, RELIABILITY_PROPOSALS (ids),
RELIABILITY_SHARED (JSON: member staff ID -> their subcommittee's proposals open for editing).

Expected answers are not errors but are counted on their own lines: "edit: conflict" (a stale
save answered with the conflict page) and "review: moved meanwhile" (another mentor sent it back
first), "edit: not open now" (it went on to review meanwhile), "review: already reviewed" (two simulated
people share a mentor account and reviewed the same round at once; the app answers with its form
and "이 제안의 이번 회차는 이미 검토했습니다."). Anything else that is not 200 (pages) or 302 (saves) is a failure.
"""
import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, task

HOSTS = os.environ.get("RELIABILITY_HOSTS", "http://127.0.0.1:5000").split(",")
TEAM = int(os.environ.get("RELIABILITY_TEAM", "0"))
ACCOUNTS = json.loads(os.environ.get("RELIABILITY_ACCOUNTS", "{}"))
PASSWORD = os.environ.get("RELIABILITY_PASSWORD", "")
PROPOSALS = [int(p) for p in os.environ.get("RELIABILITY_PROPOSALS", "").split(",") if p]
# member staff ID -> the shared proposals of their subcommittee that were open for editing at the start
SHARED = json.loads(os.environ.get("RELIABILITY_SHARED", "{}"))
ALREADY_REVIEWED = "이 제안의 이번 회차는 이미 검토했습니다."  # the review form says so (Korean, the default)
_host_turn = itertools.count()
_account_turn = {role: itertools.count() for role in ("member", "mentor", "manager")}


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    return found.group(1) if found else ""


def _form_fields(page: str) -> list[tuple[str, str]]:
    """The edit form's fields as the browser posts them (inputs, selected options, textareas)."""
    form = page[page.find('<form method="post" class="stack"'):]
    form = form[:form.find("</form>")]
    fields = []
    for tag in re.finditer(r"<input([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(1)))
        kind = attrs.get("type", "text")
        if "name" not in attrs or kind in ("submit", "button") or (
                kind in ("checkbox", "radio") and " checked" not in tag.group(1)):
            continue
        fields.append((attrs["name"], attrs.get("value", "")))
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        for option in re.finditer(r'<option([^>]*)>', select.group(2)):
            if " selected" in option.group(1):
                fields.append((select.group(1), re.search(r'value="([^"]*)"', option.group(1)).group(1)))
    for area in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields.append((area.group(1), area.group(2).lstrip("\r\n")))
    return fields


class Person(HttpUser):
    abstract = True
    role = "member"
    wait_time = between(0.5, 2)

    def on_start(self):
        self.base = HOSTS[next(_host_turn) % len(HOSTS)]
        accounts = ACCOUNTS[self.role]
        self.staff_id = accounts[next(_account_turn[self.role]) % len(accounts)]
        page = self.client.get(f"{self.base}/auth/login", name="sign in (form)")
        with self.client.post(f"{self.base}/auth/login", name="sign in", allow_redirects=False, catch_response=True,
                              data={"csrf_token": _token(page.text), "identifier": self.staff_id,
                                    "password": PASSWORD}) as response:
            if response.status_code != 302:
                response.failure(f"sign-in of {self.staff_id}: {response.status_code}")

    def page(self, path: str, name: str):
        with self.client.get(self.base + path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response

    def saved(self, path: str, name: str, data) -> object:
        with self.client.post(self.base + path, name=name, data=data, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")
            return response

    def expected(self, name: str) -> None:
        """An answer that is right but not a success (a conflict): a line of its own in the figures."""
        self.environment.events.request.fire(request_type="EXPECTED", name=name, response_time=0,
                                             response_length=0, exception=None, context={})


class Member(Person):
    weight = 6
    role = "member"

    def on_start(self):
        super().on_start()
        self.ideas: list[int] = []  # mine, still being developed
        self.ready: list[int] = []  # mine, filled in: may be submitted

    @task(4)
    def read_list(self):
        self.page(f"/proposals/?team={TEAM}", "list")

    @task(4)
    def read_proposal(self):
        self.page(f"/proposals/{random.choice(self.ideas + PROPOSALS)}", "proposal")

    @task(2)
    def log_idea(self):
        form = self.page(f"/proposals/new?team={TEAM}", "new idea (form)")
        n = random.randrange(10**6)
        response = self.saved("/proposals/new", "new idea", {
            "csrf_token": _token(form.text), "team": str(TEAM), "title": f"부하 시험 아이디어 {n}",
            "summary": f"하루 업무 중 적은 아이디어 {n}"})
        found = re.search(r"/proposals/(\d+)$", response.headers.get("Location", ""))
        if found:
            self.ideas.append(int(found.group(1)))

    @task(3)
    def develop(self):
        """Fill in one of my ideas, or (a third of the time) change a line of a proposal the whole
        subcommittee works on: two people saving it from the same version meet the conflict page."""
        shared = SHARED.get(self.staff_id, [])
        if shared and (not self.ideas or random.random() < 0.33):
            pid, text = random.choice(shared), {"beneficiaries": f"시민 {random.randrange(10**6)}명"}
        elif self.ideas:
            pid = random.choice(self.ideas)
            text = {"problem": "현황과 문제점", "proposal_text": "제안 내용", "expected_effect": "기대효과"}
        else:
            return
        with self.client.get(f"{self.base}/proposals/{pid}/edit", name="edit (form)", allow_redirects=False,
                             catch_response=True) as form:
            if form.status_code == 403 and pid in shared:  # sent on for review meanwhile
                form.success()
                return self.expected("edit: not open now")
            if form.status_code != 200:
                return form.failure(f"status {form.status_code}")
        data = [(k, text.get(k, v)) for k, v in _form_fields(form.text)]
        time.sleep(random.uniform(0, 1))  # typing
        with self.client.post(f"{self.base}/proposals/{pid}/edit", name="edit", data=data, allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code == 302:
                if pid in self.ideas and pid not in self.ready:
                    self.ready.append(pid)
            elif response.status_code == 200 and ('class="notice conflict"' in response.text
                                                  or 'class="flash flash-error"' in response.text):
                response.success()
                self.expected("edit: conflict")
            elif response.status_code == 403 and pid in shared:
                response.success()
                self.expected("edit: not open now")
            else:
                response.failure(f"status {response.status_code}")

    @task(1)
    def submit(self):
        if not self.ready:
            return
        pid = self.ready.pop()
        self.ideas.remove(pid)
        page = self.page(f"/proposals/{pid}", "proposal")
        for action in ("develop", "submit"):
            self.saved(f"/proposals/{pid}/move/{action}", "move",
                       {"csrf_token": _token(page.text), "note": ""})


class Mentor(Person):
    weight = 2
    role = "mentor"

    @task(3)
    def queue(self):
        queue = self.page("/reviews/", "review queue")
        waiting = re.findall(r'href="/reviews/proposals/(\d+)"', queue.text)
        if not waiting:
            return
        pid = random.choice(waiting)
        with self.client.get(f"{self.base}/reviews/proposals/{pid}", name="review (form)", allow_redirects=False,
                             catch_response=True) as form:
            if form.status_code in (302, 403):  # reviewed, or sent back by another mentor meanwhile
                form.success()
                return self.expected("review: moved meanwhile")
            if form.status_code != 200:
                return form.failure(f"status {form.status_code}")
        scores = {name: str(random.randint(2, 5)) for name in set(re.findall(r'name="(score_\d+)"', form.text))}
        revise = random.random() < 0.3
        with self.client.post(f"{self.base}/reviews/proposals/{pid}", name="review", allow_redirects=False,
                              catch_response=True, data={
                                  "csrf_token": _token(form.text), "recommendation": "revise" if revise else "approve",
                                  "comment": "근거 자료를 보완해 주세요" if revise else "좋습니다", **scores}) as response:
            if response.status_code in (403, 409):
                response.success()
                self.expected("review: moved meanwhile")
            elif response.status_code == 200 and ALREADY_REVIEWED in response.text:
                # two simulated people signed in as the same mentor reviewed it at the same time
                response.success()
                self.expected("review: already reviewed")
            elif response.status_code != 302:
                response.failure(f"status {response.status_code}")

    @task(1)
    def read_proposal(self):
        """A proposal of the mentor's own subcommittees (the others are not theirs to see)."""
        listed = self.page(f"/proposals/?team={TEAM}", "list")
        mine = re.findall(r'href="/proposals/(\d+)"', listed.text)
        if mine:
            self.page(f"/proposals/{random.choice(mine)}", "proposal")


class Manager(Person):
    weight = 2
    role = "manager"

    @task(3)
    def board(self):
        self.page(f"/teams/{TEAM}/board", "board")

    @task(2)
    def read_list(self):
        self.page(f"/proposals/?team={TEAM}&stage=in_review", "list")

    @task(1)
    def overview(self):
        self.page("/overview", "overview")

    @task(1)
    def read_proposal(self):
        self.page(f"/proposals/{random.choice(PROPOSALS)}", "proposal")
