"""One page under load, for bench/run.py: BENCH_PATH is the URL, BENCH_COOKIE the signed-in
session cookie (name=value) that the runner got by signing in once. No think time: every
simulated client sends its next request as soon as the last one is answered."""
import os

from locust import FastHttpUser, constant, task

PATH = os.environ["BENCH_PATH"]
NAME, _, VALUE = os.environ.get("BENCH_COOKIE", "").partition("=")


class PageUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self) -> None:
        headers = {"Cookie": f"{NAME}={VALUE}"} if NAME else {}
        with self.client.get(PATH, name=PATH, headers=headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
