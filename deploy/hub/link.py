"""Print the nbgitpuller link to hand out to a cohort.

    python deploy/hub/link.py https://hub.example.cn
    python deploy/hub/link.py https://hub.example.cn --lesson 01_aftersales_basics.ipynb \
        --repo https://git.example.cn/shop/lessons.git

A trainee who opens it logs in, gets the lessons cloned into ~/doudian-course (or updated, their
own edits kept), and lands in the lesson. The default repository is the one setup.sh publishes.
"""

from __future__ import annotations

import argparse
from urllib.parse import urlencode

DEFAULT_REPO = "file:///opt/doudian-course/lessons.git"
FOLDER = "doudian-course"
FIRST_LESSON = "00_start_here.ipynb"


def pull_link(hub_url: str, repo: str = DEFAULT_REPO, lesson: str = FIRST_LESSON,
              branch: str = "main", folder: str = FOLDER) -> str:
    """The link: the hub's user-redirect to the trainee's own server, then nbgitpuller's git-pull."""
    query = urlencode({"repo": repo, "branch": branch, "targetpath": folder,
                       "urlpath": f"lab/tree/{folder}/{lesson}"})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hub_url")
    parser.add_argument("--repo", default=DEFAULT_REPO)
    parser.add_argument("--lesson", default=FIRST_LESSON)
    parser.add_argument("--branch", default="main")
    args = parser.parse_args()
    print(pull_link(args.hub_url, args.repo, args.lesson, args.branch))
