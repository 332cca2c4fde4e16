"""Import speed: generate a valid N-row CSV of realistic Korean ideas and time the importer
(read, validate, write, commit) into an empty database, then a re-import of the same file.

    .venv/bin/python bench/import_speed.py [--rows 10000] [--database-url URL]

Without --database-url it uses a new SQLite file in a temporary folder.
"""
import argparse
import csv
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.importers import import_ideas  # noqa: E402
from tracker.importers.programme import load_programme  # noqa: E402

PLACES = ["황리단길", "보문관광단지", "안강읍", "건천읍", "외동읍", "감포항", "양남면", "불국사", "동궁과 월지"]
TOPICS = ["빈집 활용", "청년 창업 공간", "야간 관광", "스마트 축사", "로컬푸드 직판장", "어르신 돌봄",
          "공유 주차장", "전통시장 배달", "자전거 길", "탄소중립 캠페인"]
SUBCOMMITTEES = ["청년·인구", "문화관광", "농ㆍ축산", "지역경제 활성화"]
STAGES = ["아이디어", "구체화", "멘토 검토", "발표 후보", "최종 선정"]
NAMES = ["김민지", "박서준", "이도윤", "최유진", "정하늘", "강지우", "조현우", "윤서연"]


def make_csv(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["관리번호", "기수", "분과", "제목", "요약", "현황", "제안내용", "기대효과", "예산",
                     "담당부서", "단계", "제안자", "등록일"])
    for n in range(rows):
        place, topic = rng.choice(PLACES), rng.choice(TOPICS)
        writer.writerow([
            f"BENCH-{n:06d}", "소소기획단 2기", rng.choice(SUBCOMMITTEES), f"{place} {topic} 시책 {n}",
            f"{place}에서 {topic}을(를) 추진하는 아이디어", f"{place}의 {topic} 관련 현황과 문제점. " * 3,
            f"{topic}을(를) 위해 {place}에 시범 사업을 제안합니다. " * 4, "시민 만족도 향상, 지역 활성화",
            f"{rng.randint(1, 500) * 100}만원", "기획예산과", rng.choice(STAGES),
            ", ".join(rng.sample(NAMES, 2)), f"2025-{rng.randint(3, 9):02d}-{rng.randint(1, 28):02d}",
        ])
    return out.getvalue().encode("utf-8-sig")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        data = make_csv(args.rows)
        with app.app_context():
            db.drop_all()
            db.create_all()
            load_programme()
            db.session.commit()
            for label in ("first import", "re-import"):
                started = time.perf_counter()
                report = import_ideas(data, "bench.csv")
                db.session.commit()
                seconds = time.perf_counter() - started
                assert report.ok, report.errors[:3]
                print(f"{label}: {args.rows} rows in {seconds:.2f} s = {args.rows / seconds:,.0f} rows/s "
                      f"(created {report.created}, unchanged {report.unchanged}) on {db.engine.dialect.name}")
            db.drop_all()


if __name__ == "__main__":
    main()
