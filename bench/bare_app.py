"""The floor of the benchmark: a bare Flask route, served and drawn exactly as the app's pages are."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "ok"
